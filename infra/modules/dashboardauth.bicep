// App Service Authentication (Easy Auth) with Microsoft Entra ID in front of the function app, for the dashboard.
// Anonymous requests stay allowed at the front door: the read APIs keep their function keys and the webhooks their
// signatures. The dashboard itself (Dashboard:Authentication = AppService) serves only requests that carry the signed-in
// user's X-MS-CLIENT-PRINCIPAL-ID, which this module's platform sets and refuses from outside, and sends everyone
// else to /.auth/login/aad.
@description('The function app.')
param appName string

@description('Application (client) id of the Entra ID app registration whose users may open the dashboard; its redirect URI is https://<app host>/.auth/login/aad/callback.')
param clientId string

@description('Directory (tenant) of the app registration.')
param tenantId string = subscription().tenantId

@description('App setting holding the registration\'s client secret (a Key Vault reference); empty: the ID-token (implicit) flow, which the registration must allow.')
param clientCredentialSetting string = ''

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: appName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: union({
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }, empty(clientCredentialSetting) ? {} : { clientSecretSettingName: clientCredentialSetting })
        validation: {
          allowedAudiences: [ clientId, 'api://${clientId}' ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    httpSettings: {
      requireHttps: true
    }
  }
}
