// Step two of a deployment (run by the azd postdeploy hook, or by hand once the code is deployed): the Event Grid
// subscription that delivers the BlobCreated events of the pos-exports container to ImportPosExport, an Event Grid
// trigger. The destination is the function's resource id (endpoint type AzureFunction), so no key is read; but Event
// Grid checks when the subscription is created that this function exists with an Event Grid trigger, which is only
// true once the package is deployed, hence a second step rather than part of main.bicep. The system topic itself is
// created by main.bicep (modules/storage.bicep), in the storage account's region.
targetScope = 'resourceGroup'

@description('The function app (output AZURE_FUNCTION_APP_NAME of main.bicep).')
param functionAppName string

@description('The storage account\'s Event Grid system topic (output BLOB_EVENTS_TOPIC_NAME of main.bicep).')
param systemTopicName string

@description('The container whose uploads are imported.')
param posExportsContainer string = 'pos-exports'

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource posExports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: '${posExportsContainer}-to-ImportPosExport'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${app.id}/functions/ImportPosExport'
        // One event per invocation: each upload is its own import, retried on its own.
        maxEventsPerBatch: 1
      }
    }
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/${posExportsContainer}/blobs/'
    }
    eventDeliverySchema: 'EventGridSchema'
    // Bounded: a failing import is redelivered with backoff for a day at most, never forever.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output subscriptionName string = posExports.name
