// Cosmos DB for NoSQL, serverless (pay per request, nothing at rest but storage), local (key) auth disabled.
// The app's containers are partitioned on /pk, a property the store writes with the partition key it is given —
// today always the document id, so ingestion reads and writes single documents by id and partition (about 1 RU per
// read) and no query crosses partitions except the recompute's scan. Only /pk is indexed: the app never filters
// on a property, so indexing the rest would only make writes dearer. The change feed of `profiles` drives
// PublishSegmentChanges with its leases in `leases`, partitioned on /id as the trigger requires (and created here,
// because the trigger cannot create it under managed identity). See
// functions/CustomerValue.Storage.Azure/Cosmos/README.md for the RU reasoning.
param location string
param name string
param databaseName string

var containers = [
  'profiles'
  'orders'
  'identities'
  'deliveries'
  'imports'
  'runs'
  'publications'
  'segments'
  'outbound'
  'destinations'
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: name
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [
      { name: 'EnableServerless' }
    ]
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for container in containers: {
  parent: database
  name: container
  properties: {
    resource: {
      id: container
      partitionKey: {
        paths: [ '/pk' ]
        kind: 'Hash'
      }
      indexingPolicy: {
        indexingMode: 'consistent'
        // Only the partition key, and a profile's segments (segment members are queried with ARRAY_CONTAINS); id is
        // always indexed. Must match CosmosDocumentStore.ContainerPropertiesOf.
        includedPaths: container == 'profiles' ? [ { path: '/pk/?' }, { path: '/segments/[]/?' } ] : [ { path: '/pk/?' } ]
        excludedPaths: [ { path: '/*' } ]
      }
    }
  }
}]

resource leases 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'leases'
  properties: {
    resource: {
      id: 'leases'
      partitionKey: {
        paths: [ '/id' ]
        kind: 'Hash'
      }
    }
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint
