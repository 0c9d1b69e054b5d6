// CustomerValue.Functions on Azure: a Flex Consumption (or, with plan=ElasticPremium, EP1 Linux) function app (custom
// handler) with a system-assigned identity, Cosmos DB (serverless, NoSQL, local auth disabled), a storage account for
// the app, the POS exports and the segment-change queue, Application Insights, Key Vault for the webhook secrets, and
// the role assignments that let the identity use them.
// Deploy with `azd up` from this folder (see README.md). The Event Grid subscription that sends uploads to
// ImportPosExport is a second step (eventgrid.bicep, run by the postdeploy hook): Event Grid accepts a function as
// destination only once the function exists, i.e. after the code is deployed.
targetScope = 'resourceGroup'

@description('Short prefix for every resource name (letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param namePrefix string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('NCRONTAB schedule (six fields, UTC) of RecomputeCustomerValue.')
param recomputeSchedule string = '0 0 3 * * *'

@description('Shopify app secret (stored in Key Vault). Shopify signs with the app\'s own client secret, so none is generated: leave it empty to set it later in the vault (until then Shopify webhooks are answered 401).')
@secure()
param shopifySecret string = ''

@description('WooCommerce webhook secret (stored in Key Vault). Empty: one is generated from secretSeed; copy it from the vault into WooCommerce.')
@secure()
param wooCommerceSecret string = ''

@description('Standard Webhooks secret for generic events, e.g. whsec_... (stored in Key Vault). Empty: one is generated from secretSeed.')
@secure()
param eventsSecret string = ''

// No default on purpose: a seed known to the template (uniqueString of the resource group, say) would make the
// generated secrets guessable, and a newGuid() default would replace them, and break the shops' webhooks, on every
// deployment. azd generates it once per environment and keeps it (the metadata below); without azd pass a random
// value (e.g. `openssl rand -hex 32`) and the same one again on redeployments.
@description('Random seed (32+ characters) of the webhook secrets generated when wooCommerceSecret or eventsSecret are empty. Keep it: the same seed gives the same secrets.')
@secure()
@minLength(32)
@metadata({ azd: { type: 'generate', config: { length: 48, noSpecial: true } } })
param secretSeed string

@description('Default region for phone numbers written without a country code.')
param phoneRegion string = 'US'

@description('Hosting plan: FlexConsumption (FC1, default) or ElasticPremium (EP1, Linux) where Flex Consumption does not list the custom runtime (see README.md).')
@allowed([ 'FlexConsumption', 'ElasticPremium' ])
param plan string = 'FlexConsumption'

@description('Application (client) id of the Entra ID app registration for the dashboard (App Service Authentication). Empty: no sign-in is configured and the dashboard stays off in Azure.')
param dashboardClientId string = ''

@description('Client secret of that app registration (stored in Key Vault). Empty: the ID-token flow, which the registration must allow.')
@secure()
param dashboardClientSecret string = ''

@description('Maximum instances the app may scale out to.')
param maximumInstanceCount int = 40

var suffix = uniqueString(resourceGroup().id, namePrefix)

// guid() hashes its inputs (SHA-1 based, name-based UUID); two of them from a random 32+ character seed give a secret
// of well over 128 unpredictable bits. Standard Webhooks secrets are `whsec_` + base64.
var generatedSecrets = {
  wooCommerce: '${guid(secretSeed, 'woocommerce-secret', '1')}${guid(secretSeed, 'woocommerce-secret', '2')}'
  events: 'whsec_${base64('${guid(secretSeed, 'events-secret', '1')}${guid(secretSeed, 'events-secret', '2')}')}'
  // The key of the identity lookup ids (HMAC-SHA256): it must never change, or every stored link is lost to lookups.
  lookupKey: base64('${guid(secretSeed, 'identity-lookup-key', '1')}${guid(secretSeed, 'identity-lookup-key', '2')}')
}
var names = {
  storage: toLower(take('${replace(namePrefix, '-', '')}st${suffix}', 24))
  cosmos: toLower('${namePrefix}-cosmos-${suffix}')
  keyVault: toLower(take('${namePrefix}-kv-${suffix}', 24))
  logs: '${namePrefix}-logs-${suffix}'
  insights: '${namePrefix}-ai-${suffix}'
  plan: '${namePrefix}-plan-${suffix}'
  app: toLower('${namePrefix}-func-${suffix}')
}

// Names the code relies on: functions/CustomerValue.Storage/Documents/ContainerNames.cs, the function.json files and
// the app settings read by the handler. tests/CustomerValue.Functions.Tests/InfrastructureNamesTests.cs checks that
// both sides agree.
var databaseName = 'customervalue'
var posExportsContainer = 'pos-exports'
var posReportsContainer = 'pos-exports-reports'
var deploymentContainer = 'app-package'
// The durable destination of segment changes (functions/CustomerValue.Publishing/Destinations/StorageQueueDestination.cs).
var segmentChangesQueue = 'segment-changes'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    logsName: names.logs
    insightsName: names.insights
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    containers: [deploymentContainer, posExportsContainer, posReportsContainer]
    queues: [segmentChangesQueue]
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    name: names.cosmos
    databaseName: databaseName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.keyVault
    secrets: {
      'shopify-secret': shopifySecret
      'woocommerce-secret': empty(wooCommerceSecret) ? generatedSecrets.wooCommerce : wooCommerceSecret
      'events-secret': empty(eventsSecret) ? generatedSecrets.events : eventsSecret
      'identity-lookup-key': generatedSecrets.lookupKey
      'dashboard-client-secret': dashboardClientSecret
    }
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: names.plan
    appName: names.app
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainer: deploymentContainer
    maximumInstanceCount: maximumInstanceCount
    plan: plan
    appSettings: union(dashboardSettings, {
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
      CosmosDb__accountEndpoint: cosmos.outputs.endpoint
      CosmosDb__DatabaseName: databaseName
      PosExportStorage__blobServiceUri: storage.outputs.blobEndpoint
      PosExportStorage__queueServiceUri: storage.outputs.queueEndpoint
      SegmentChanges__queueServiceUri: storage.outputs.queueEndpoint
      SegmentChanges__QueueName: segmentChangesQueue
      RecomputeSchedule: recomputeSchedule
      Identity__DefaultRegion: phoneRegion
      Webhooks__Shopify__Secret: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=shopify-secret)'
      Webhooks__WooCommerce__Secret: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=woocommerce-secret)'
      Webhooks__Events__Secret: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=events-secret)'
      Identity__LookupKey: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=identity-lookup-key)'
    })
  }
}

// The dashboard is served only behind App Service Authentication; the setting tells the app that it is there.
var dashboardSettings = empty(dashboardClientId) ? {} : union({
  Dashboard__Authentication: 'AppService'
}, empty(dashboardClientSecret) ? {} : {
  MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: '@Microsoft.KeyVault(VaultName=${keyVault.outputs.name};SecretName=dashboard-client-secret)'
})

module dashboardAuth 'modules/dashboardauth.bicep' = if (!empty(dashboardClientId)) {
  name: 'dashboardauth'
  params: {
    appName: app.outputs.name
    clientId: dashboardClientId
    clientCredentialSetting: empty(dashboardClientSecret) ? '' : 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: app.outputs.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.name
    keyVaultName: keyVault.outputs.name
    insightsName: monitoring.outputs.insightsName
    segmentChangesQueue: segmentChangesQueue
  }
}

output AZURE_FUNCTION_APP_NAME string = app.outputs.name
output FUNCTION_APP_URL string = 'https://${app.outputs.defaultHostName}'
output SHOPIFY_WEBHOOK_URL string = 'https://${app.outputs.defaultHostName}/api/webhooks/shopify'
output WOOCOMMERCE_WEBHOOK_URL string = 'https://${app.outputs.defaultHostName}/api/webhooks/woocommerce'
output EVENTS_WEBHOOK_URL string = 'https://${app.outputs.defaultHostName}/api/webhooks/events'
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output POS_EXPORTS_URL string = '${storage.outputs.blobEndpoint}${posExportsContainer}'
output KEY_VAULT_NAME string = keyVault.outputs.name
// Where the webhook secrets are (generated ones included): `az keyvault secret show --id <uri> --query value -o tsv`.
output WOOCOMMERCE_SECRET_URI string = '${keyVault.outputs.uri}secrets/woocommerce-secret'
output EVENTS_SECRET_URI string = '${keyVault.outputs.uri}secrets/events-secret'
output SHOPIFY_SECRET_URI string = '${keyVault.outputs.uri}secrets/shopify-secret'
output SEGMENT_CHANGES_QUEUE_URL string = '${storage.outputs.queueEndpoint}${segmentChangesQueue}'
output DASHBOARD_URL string = 'https://${app.outputs.defaultHostName}/api/dashboard/'
output BLOB_EVENTS_TOPIC_NAME string = storage.outputs.blobEventsTopicName
