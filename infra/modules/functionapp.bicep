// The hosting plan and the function app: runtime `custom` (the custom handler in the deployment package),
// system-assigned identity, identity-based connections for the host storage, Cosmos DB and the POS exports.
// `plan` chooses Flex Consumption (FC1, the default: pay per execution, deployment package in a blob container) or
// Elastic Premium (EP1, Linux: always one warm instance, for regions whose Flex runtime list lacks `custom`).
param location string
param planName string
param appName string
param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param deploymentContainer string
param maximumInstanceCount int
param appSettings object

@allowed([ 'FlexConsumption', 'ElasticPremium' ])
param plan string = 'FlexConsumption'

var flex = plan == 'FlexConsumption'

var flexSku = {
  tier: 'FlexConsumption'
  name: 'FC1'
}
var premiumSku = {
  tier: 'ElasticPremium'
  name: 'EP1'
}

resource hostingPlan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: flex ? 'functionapp' : 'elastic'
  sku: flex ? flexSku : premiumSku
  properties: union({ reserved: true }, flex ? {} : { maximumElasticWorkerCount: maximumInstanceCount })
}

var hostSettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__blobServiceUri: blobEndpoint
  AzureWebJobsStorage__queueServiceUri: queueEndpoint
  // As in Microsoft's Flex Consumption samples: the host keeps some state in tables (e.g. diagnostic events).
  AzureWebJobsStorage__tableServiceUri: tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  // Two glibc malloc arenas instead of up to 8 per core: the handler's C memory (SQLite, the runtime) freed after
  // imports and recomputes stayed spread over many arenas. Read by glibc at process start, so an app setting.
  MALLOC_ARENA_MAX: '2'
}

// Flex takes the runtime from functionAppConfig and rejects these settings; Elastic Premium needs them. The package
// runs from the zip that deployment uploads (no Azure Files content share, which would need shared keys).
var premiumSettings = flex ? {} : {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'custom'
  WEBSITE_RUN_FROM_PACKAGE: '1'
}

var settingList = [for setting in items(union(hostSettings, premiumSettings, appSettings)): {
  name: setting.key
  value: setting.value
}]

var flexConfig = {
  functionAppConfig: {
    deployment: {
      storage: {
        type: 'blobContainer'
        value: '${blobEndpoint}${deploymentContainer}'
        authentication: { type: 'SystemAssignedIdentity' }
      }
    }
    scaleAndConcurrency: {
      maximumInstanceCount: maximumInstanceCount
      instanceMemoryMB: 2048
    }
    runtime: {
      name: 'custom'
      version: '1.0'
    }
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  tags: { 'azd-service-name': 'functions' }
  identity: { type: 'SystemAssigned' }
  properties: union({
    serverFarmId: hostingPlan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: settingList
    }
  }, flex ? flexConfig : {})
}

output name string = app.name
output id string = app.id
output defaultHostName string = app.properties.defaultHostName
output principalId string = app.identity.principalId
