// Log Analytics workspace and workspace-based Application Insights (local auth off: the app publishes with its identity).
param location string
param logsName string
param insightsName string

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logsName
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

output connectionString string = insights.properties.ConnectionString
output insightsName string = insights.name
