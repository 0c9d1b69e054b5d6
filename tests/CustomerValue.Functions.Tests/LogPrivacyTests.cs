using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Ingestion.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// "Logs never carry a raw e-mail or phone": a server of our own with an in-memory log provider, fed valid, forged and
/// malformed deliveries and a POS export, whose every log entry is then searched for the raw identifiers.
/// </summary>
public sealed class LogPrivacyTests : IAsyncLifetime, IDisposable
{
    private const string ShopifySecret = "log-test-shopify-secret";
    private static readonly string[] Emails = ["log.ada@example.com", "LOG.Bob@Example.com", "log.carol@example.com", "log.dave@example.com", "log.erin@example.com"];
    private static readonly string[] Phones = ["+1 415 555 0161", "(415) 555-0162", "+14155550161", "+14155550162", "4155550161", "4155550162"];

    private readonly InMemoryLogCapture _logs = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private string _dataDir = null!;

    public async Task InitializeAsync()
    {
        _dataDir = Path.Combine(Path.GetTempPath(), "cv-logtests-" + Guid.NewGuid().ToString("N"));
        _app = ServerApp.Build(["--urls", "http://127.0.0.1:0"], _dataDir, builder =>
        {
            var settings = Secrets();
            settings["Webhooks:Shopify:Secret"] = ShopifySecret;
            settings["LocalMode:Enabled"] = "false";
            // The shipped levels (appsettings.json) with everything of the app itself down to Trace.
            settings["Logging:LogLevel:CustomerValue"] = "Trace";
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(_logs);
        });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = _app.Services.GetRequiredService<LocalTriggerClient>().BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left to the temp cleaner.
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task ValidForgedAndMalformedDeliveries_NeverLogARawEmailOrPhone()
    {
        // Valid.
        await AssertOkAsync(await ShopifyAsync("orders/create", ShopifyOrder(1, Emails[0], customerId: 11, phone: Phones[0]), "l-1"));
        await AssertOkAsync(await SendEventAsync(_client, Event("nps", "n", DateTimeOffset.UtcNow, "crm", new JsonObject { ["email"] = Emails[1], ["phone"] = Phones[1] }, new JsonObject { ["score"] = 8 }), "l-2"));
        // Forged (wrong secret) and unsigned.
        using (var forged = await ShopifyAsync("orders/create", ShopifyOrder(2, Emails[2], customerId: 12), "l-3", secret: "wrong"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        using (var forgedEvent = await SendEventAsync(_client, Event("nps", "n", DateTimeOffset.UtcNow, "crm", new JsonObject { ["email"] = Emails[2] }, new JsonObject { ["score"] = 8 }), "l-4", secret: "whsec_" + Convert.ToBase64String("wrong-key-wrong-key-wrong-key-00"u8.ToArray())))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forgedEvent.StatusCode);
        }

        // Malformed: broken JSON quoting an address, a bad field next to one, a topic and a type that are addresses.
        using (var broken = await ShopifyAsync("orders/create", "{\"id\": 3, \"email\": \"" + Emails[3] + "\" \"phone\": \"" + Phones[1] + "\"", "l-5"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        }

        using (var badTopic = await ShopifyAsync(Emails[3], ShopifyOrder(4, Emails[3]), "l-6"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badTopic.StatusCode);
        }

        using (var badType = await SendEventAsync(_client, $$$"""{"type":"{{{Emails[4]}}}","id":"t","occurredAt":"2026-01-01T00:00:00Z","source":"crm","customer":{"email":"{{{Emails[4]}}}"}}""", "l-7"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        }

        using (var badScore = await SendEventAsync(_client, Event("nps", "n", DateTimeOffset.UtcNow, "crm", new JsonObject { ["email"] = Emails[4], ["phone"] = Phones[0] }, new JsonObject { ["score"] = Emails[4] }), "l-8"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badScore.StatusCode);
        }

        using (var badConsent = await SendEventAsync(_client, Event("consent", "c", DateTimeOffset.UtcNow, "crm", new JsonObject { ["email"] = Emails[4] }, new JsonObject { ["email"] = Emails[4] }), "l-9"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badConsent.StatusCode);
        }

        using (var badWoo = await SendWooAsync(_client, "order.created", "{\"id\": 5, \"billing\": {\"email\": \"" + Emails[4] + "\"}}", "l-10"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badWoo.StatusCode);
        }

        // A POS export with a quarantined row that carries an address and a phone.
        var inbox = Path.Combine(_dataDir, "pos-exports");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "log-store.csv"), PosHeader
            + $"T1,2026-01-02T10:00:00Z,sale,12.00,USD,s1,C1,{Emails[1]},{Phones[1]},Bob,B,\n"
            + $"T2,2026-01-02T11:00:00Z,sale,not-money,USD,s1,C2,{Emails[3]},{Phones[0]},Dave,D,\n"
            + $"T3,{Emails[3]},sale,5.00,USD,s1,C3,{Emails[3]},,Dave,D,\n");
        using (var import = await PostAsync("/ImportPosExport", BlobInvocation("log-store.csv")))
        {
            await AssertOkAsync(import);
        }

        // Reads and privacy requests naming the person.
        (await _client.GetAsync("/api/profiles?email=" + Uri.EscapeDataString(Emails[0]))).Dispose();
        (await _client.GetAsync("/api/profiles?phone=" + Uri.EscapeDataString(Phones[1]))).Dispose();
        await AssertOkAsync(await ShopifyAsync("customers/data_request", ShopifyPrivacy("fixture.myshopify.com", 11, Emails[0], Phones[0], [1], dataRequest: true), "l-11"));
        await AssertOkAsync(await ShopifyAsync("customers/redact", ShopifyPrivacy("fixture.myshopify.com", 11, Emails[0], Phones[0], [1]), "l-12"));

        var entries = _logs.Entries;
        Assert.Contains(entries, e => e.Contains("Rejected a shopify webhook", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("Erased 1 profiles", StringComparison.Ordinal));
        AssertNoRawIdentifiers(entries);
    }

    [Fact]
    public async Task AnOverlongSourceIdCarryingContactData_IsStoredWithoutLoggingIt()
    {
        // A source customer id longer than a document id may be (255), carrying an address and a phone: lookup ids are
        // hashes, so the store takes it, and the id reaches neither a document id nor the log.
        var sourceId = Emails[2] + "/" + Phones[3] + "/" + new string('x', 260);

        using var response = await SendEventAsync(_client, Event("customer", "long", DateTimeOffset.UtcNow, "crm", new JsonObject { ["sourceId"] = sourceId }), "l-long");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertNoRawIdentifiers(_logs.Entries);
    }

    private static void AssertNoRawIdentifiers(IReadOnlyList<string> entries)
    {
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            foreach (var email in Emails)
            {
                Assert.False(entry.Contains(email, StringComparison.OrdinalIgnoreCase), $"A log entry carries the e-mail {email}: {entry}");
            }

            foreach (var phone in Phones)
            {
                Assert.False(entry.Contains(phone, StringComparison.Ordinal), $"A log entry carries the phone {phone}: {entry}");
            }
        }
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> ShopifyAsync(string topic, string body, string webhookId, string secret = ShopifySecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", "fixture.myshopify.com");
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
        request.Headers.Add("X-Shopify-Hmac-Sha256", WebhookSignatures.SignBody(secret, bytes));
        return _client.SendAsync(request);
    }
}
