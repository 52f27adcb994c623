// Spark.Serverless on Azure: the storage account (the platform's state, its queues, and room for inputs and outputs)
// and the hosts, either as two Function apps with custom handlers ('functions') or as Container Apps whose executor
// scales on the task queue down to zero ('containerapps').
//   az deployment group create -g <group> -f infra/bicep/main.bicep -p hosting=functions
targetScope = 'resourceGroup'

@description('Where every resource goes.')
param location string = resourceGroup().location

@description('Start of every resource name: 3 to 11 lowercase letters and digits.')
@minLength(3)
@maxLength(11)
param prefix string = 'sparksl'

@description('functions: Azure Functions custom handlers, scaled by the Functions scale controller. containerapps: Azure Container Apps with KEDA azure-queue scale rules.')
@allowed([
  'functions'
  'containerapps'
])
param hosting string = 'functions'

@description('The most executor instances (Functions app scale limit, or Container Apps max replicas).')
@minValue(1)
param maxExecutors int = 20

@description('Tasks one executor runs at once (Executor__Slots); with Functions it must equal the executor host.json batchSize + newBatchThreshold.')
@minValue(1)
param executorSlots int = 2

@description('containerapps only: the driver image (infra/containers/Dockerfile with PROJECT=Driver).')
param driverImage string = ''

@description('containerapps only: the executor image (infra/containers/Dockerfile with PROJECT=ExecutorFunction).')
param executorImage string = ''

@description('containerapps only: the API keys, comma-separated, 16+ characters each (the driver listens beyond loopback and refuses to start without).')
@secure()
param apiKeys string = ''

module storage 'storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    prefix: prefix
  }
}

module functions 'functions.bicep' = if (hosting == 'functions') {
  name: 'functions'
  params: {
    location: location
    prefix: prefix
    storageAccountName: storage.outputs.accountName
    maxExecutors: maxExecutors
    executorSlots: executorSlots
  }
}

module containerApps 'containerapps.bicep' = if (hosting == 'containerapps') {
  name: 'containerapps'
  params: {
    location: location
    prefix: prefix
    storageAccountName: storage.outputs.accountName
    maxExecutors: maxExecutors
    executorSlots: executorSlots
    driverImage: driverImage
    executorImage: executorImage
    apiKeys: apiKeys
  }
}

@description('The storage account holding the platform state, the queues, and the input and output containers.')
output storageAccount string = storage.outputs.accountName

@description('The API base URL.')
output apiUrl string = hosting == 'functions' ? functions.outputs.apiUrl : containerApps.outputs.apiUrl
