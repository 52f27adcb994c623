// The storage account: container 'spark' (the platform's own state), 'input' and 'output' for data, and the queues.
// The names are the code's defaults (Spark__Container, Spark__TaskQueue, Spark__ControlQueue, Spark__PoisonQueue).
param location string
param prefix string

var names = {
  container: 'spark'
  taskQueue: 'spark-tasks'
  controlQueue: 'spark-control'
  poisonQueue: 'spark-tasks-poison'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${prefix}${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in [names.container, 'input', 'output']: {
  parent: blobService
  name: name
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for name in [names.taskQueue, names.controlQueue, names.poisonQueue]: {
  parent: queueService
  name: name
}]

output accountName string = account.name
