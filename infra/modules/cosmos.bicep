// Cosmos DB for NoSQL, serverless (pay per request, nothing at rest but storage), local (key) auth disabled.
// Every container is partitioned on /id: ingestion reads and writes single documents by id (about 1 RU per read),
// and the change feed of `profiles` drives PublishSegmentChanges with its leases in `leases` (which the trigger
// cannot create itself under managed identity).
param location string
param name string
param databaseName string

var containers = [
  'profiles'
  'identities'
  'deliveries'
  'imports'
  'runs'
  'publications'
  'leases'
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
        paths: [ '/id' ]
        kind: 'Hash'
      }
    }
  }
}]

output name string = account.name
output endpoint string = account.properties.documentEndpoint
