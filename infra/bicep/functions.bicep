// Two Function apps with custom handlers (packages from infra/functions/package.sh): 'driver' (the HTTP API, the
// control-queue trigger and the tick timer) and 'executor' (the task-queue trigger). The Functions scale controller
// adds executor instances as the task queue grows and removes them, down to zero, when it is empty; each instance
// runs host.json's batchSize + newBatchThreshold tasks at once, which Executor__Slots must match.
param location string
param prefix string
param storageAccountName string
param maxExecutors int
param executorSlots int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

var connection = 'DefaultEndpointsProtocol=https;AccountName=${account.name};AccountKey=${account.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

var common = [
  { name: 'AzureWebJobsStorage', value: connection }
  { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
  { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }
  { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
  { name: 'Spark__Container', value: 'spark' }
  { name: 'Spark__TaskQueue', value: 'spark-tasks' }
  { name: 'Spark__ControlQueue', value: 'spark-control' }
  { name: 'Spark__PoisonQueue', value: 'spark-tasks-poison' }
]

// Linux Consumption: pay per execution, scale to zero. Tasks are capped by functionTimeout (10 minutes here);
// for longer tasks use an Elastic Premium plan (sku EP1) and raise functionTimeout in host.json.
resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${prefix}-plan'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'Y1'
    tier: 'Dynamic'
  }
  properties: {
    reserved: true
  }
}

resource driver 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-driver-${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'functionapp,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      appSettings: common
    }
  }
}

resource executor 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-executor-${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'functionapp,linux'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      functionAppScaleLimit: maxExecutors
      appSettings: concat(common, [
        { name: 'Executor__Slots', value: string(executorSlots) }
        { name: 'Executor__MaxDequeueCount', value: '5' }
      ])
    }
  }
}

output apiUrl string = 'https://${driver.properties.defaultHostName}/api'
output driverApp string = driver.name
output executorApp string = executor.name
