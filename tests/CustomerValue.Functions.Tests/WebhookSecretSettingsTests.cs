using System.Net;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Ingestion.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// A webhook secret that is empty, or still the text of a Key Vault reference App Service could not resolve, is
/// "not configured": the platform's webhooks answer 401 and the start-up log names the setting, once.
/// </summary>
public sealed class WebhookSecretSettingsTests
{
    private const string UnresolvedReference = "@Microsoft.KeyVault(VaultName=shop-kv-abc;SecretName=shopify-secret)";

    [Fact]
    public void Normalize_ClearsEmptyAndUnresolvedSecrets_AndNamesTheirSettings()
    {
        var secrets = new WebhookSecrets
        {
            Shopify = { Secret = UnresolvedReference, Sources = { ["b.myshopify.com"] = "real-b", ["c.myshopify.com"] = " @microsoft.keyvault(SecretUri=https://kv/secrets/c)" } },
            WooCommerce = { Secret = "   " },
            Events = { Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
        };

        var missing = WebhookSecretSettings.Normalize(secrets);

        Assert.Equal(
            ["Webhooks__Shopify__Secret (an unresolved Key Vault reference)", "Webhooks__Shopify__Sources__c.myshopify.com (an unresolved Key Vault reference)", "Webhooks__WooCommerce__Secret (not set)"],
            missing);
        Assert.Null(secrets.Shopify.Resolve("a.myshopify.com"));
        Assert.Equal("real-b", secrets.Shopify.Resolve("b.myshopify.com"));
        Assert.Null(secrets.Shopify.Resolve("c.myshopify.com"));
        Assert.Null(secrets.WooCommerce.Resolve(null));
        Assert.Equal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", secrets.Events.Resolve(null));
    }

    [Fact]
    public async Task Webhook_SignedWithTheTextOfAnUnresolvedReference_Gets401_AndStartUpNamesTheSettingOnce()
    {
        var logs = new InMemoryLogCapture();
        var dataDir = Path.Combine(Path.GetTempPath(), "cv-secrets-" + Guid.NewGuid().ToString("N"));
        var app = ServerApp.Build(["--urls", "http://127.0.0.1:0"], dataDir, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Webhooks:Shopify:Secret"] = UnresolvedReference,
                ["Webhooks:WooCommerce:Secret"] = "woo-secret",
                ["Webhooks:Events:Secret"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                ["LocalMode:Enabled"] = "false",
            });
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = app.Services.GetRequiredService<LocalTriggerClient>().BaseAddress };
            var body = """{"id":1,"email":"ref@example.com","created_at":"2026-10-01T10:00:00Z","total_price":"10.00","currency":"USD","line_items":[]}"""u8.ToArray();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Shop-Domain", "fixture.myshopify.com");
            request.Headers.Add("X-Shopify-Webhook-Id", "wh-ref-1");
            // Anyone who reads the app settings (or guesses the vault's naming) could sign with the reference text.
            request.Headers.Add("X-Shopify-Hmac-Sha256", WebhookSignatures.SignBody(UnresolvedReference, body));

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var warnings = logs.Entries.Where(e => e.StartsWith("Warning", StringComparison.Ordinal) && e.Contains("Webhooks__Shopify__Secret", StringComparison.Ordinal)).ToArray();
            Assert.Single(warnings);
            Assert.Contains("unresolved Key Vault reference", warnings[0], StringComparison.Ordinal);
            Assert.DoesNotContain(logs.Entries, e => e.Contains("Webhooks__WooCommerce__Secret", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Entries, e => e.Contains("shop-kv-abc", StringComparison.Ordinal));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // Left to the temp cleaner.
            }
        }
    }
}
