// Step two of a deployment (run by the azd postdeploy hook, or by hand after the code is deployed): the Event Grid
// subscription that delivers BlobCreated events of the pos-exports container to ImportPosExport's blob trigger
// (`"source": "EventGrid"`, required on Flex Consumption). It needs the deployed app's blob-extension system key.
targetScope = 'resourceGroup'

@description('The function app (output AZURE_FUNCTION_APP_NAME of main.bicep).')
param functionAppName string

@description('The storage account holding pos-exports (output STORAGE_ACCOUNT_NAME of main.bicep).')
param storageAccountName string

param location string = resourceGroup().location

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: '${storageAccountName}-blob-events'
  location: location
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

var blobExtensionKey = listKeys('${app.id}/host/default', '2024-04-01').systemKeys.blobs_extension

resource posExports 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: 'pos-exports-to-ImportPosExport'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.ImportPosExport&code=${blobExtensionKey}'
      }
    }
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/pos-exports/'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
