// Container Apps: the driver with HTTP ingress, and executors that KEDA's azure-queue rule scales on the task queue
// from zero to maxExecutors (queueLength = slots, so a replica per executorSlots waiting tasks). The driver also
// scales to zero: its control-queue rule wakes it for events and durable timers, its HTTP rule for requests.
param location string
param prefix string
param storageAccountName string
param maxExecutors int
param executorSlots int
param driverImage string
param executorImage string
@secure()
param apiKeys string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

var connection = 'DefaultEndpointsProtocol=https;AccountName=${account.name};AccountKey=${account.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

var names = [
  { name: 'Spark__Container', value: 'spark' }
  { name: 'Spark__TaskQueue', value: 'spark-tasks' }
  { name: 'Spark__ControlQueue', value: 'spark-control' }
  { name: 'Spark__PoisonQueue', value: 'spark-tasks-poison' }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource driver 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-driver'
  location: location
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 8080
      }
      secrets: [
        { name: 'storage', value: connection }
        { name: 'api-keys', value: apiKeys }
      ]
    }
    template: {
      containers: [
        {
          name: 'driver'
          image: driverImage
          env: concat(names, [
            { name: 'AzureWebJobsStorage', secretRef: 'storage' }
            { name: 'Driver__Urls', value: 'http://0.0.0.0:8080' }
            { name: 'Driver__ApiKeys', secretRef: 'api-keys' }
          ])
          resources: {
            cpu: json('1.0')
            memory: '2Gi'
          }
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: 2
        rules: [
          {
            name: 'api'
            http: {
              metadata: {
                concurrentRequests: '50'
              }
            }
          }
          {
            name: 'control-queue'
            azureQueue: {
              queueName: 'spark-control'
              queueLength: 100
              auth: [
                { secretRef: 'storage', triggerParameter: 'connection' }
              ]
            }
          }
        ]
      }
    }
  }
}

resource executor 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-executor'
  location: location
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      secrets: [
        { name: 'storage', value: connection }
      ]
    }
    template: {
      // Container Apps stops a replica with SIGTERM and waits this long: the executor drains its running tasks.
      terminationGracePeriodSeconds: 600
      containers: [
        {
          name: 'executor'
          image: executorImage
          env: concat(names, [
            { name: 'AzureWebJobsStorage', secretRef: 'storage' }
            { name: 'Executor__Slots', value: string(executorSlots) }
            { name: 'Executor__DrainTimeoutSeconds', value: '570' }
          ])
          resources: {
            cpu: json('2.0')
            memory: '4Gi'
          }
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxExecutors
        rules: [
          {
            name: 'task-queue'
            azureQueue: {
              queueName: 'spark-tasks'
              queueLength: executorSlots
              auth: [
                { secretRef: 'storage', triggerParameter: 'connection' }
              ]
            }
          }
        ]
      }
    }
  }
}

output apiUrl string = 'https://${driver.properties.configuration.ingress.fqdn}/api'
