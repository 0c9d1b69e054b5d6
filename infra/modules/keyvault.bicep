// Key Vault (RBAC authorization) holding the webhook signing secrets; app settings reference them. A secret given
// empty is not created: its reference stays unresolved and the app treats that platform as not configured (401).
param location string
param name string

@secure()
param secrets object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource vaultSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for secret in items(secrets): if (!empty(secret.value)) {
  parent: vault
  name: secret.key
  properties: { value: secret.value }
}]

output name string = vault.name
output uri string = vault.properties.vaultUri
