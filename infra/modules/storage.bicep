// The app's storage account: host state (AzureWebJobsStorage), the deployment package container of Flex Consumption,
// the POS exports with their reports, the segment-change queue other systems read, and the Event Grid system topic of its blob events (the source of
// ImportPosExport's BlobCreated events; the subscription is eventgrid.bicep). Shared-key access is off: everything
// uses the app's identity.
param location string
param name string
param containers array

@description('Queues to create (the segment-change destination).')
param queues array = []

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobs
  name: container
  properties: { publicAccess: 'None' }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queues: {
  parent: queueService
  name: queue
}]

// A system topic must live in its source's region: the account's `location`, the very value the account is created
// with (a resource's location cannot be read back at the start of a deployment).
resource blobEvents 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: '${name}-blob-events'
  location: location
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output blobEventsTopicName string = blobEvents.name
output tableEndpoint string = account.properties.primaryEndpoints.table
