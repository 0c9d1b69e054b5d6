using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Functions.Host;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Functions.Tests.Support;

/// <summary>
/// Helpers for the end-to-end tests over HTTP: signed senders for WooCommerce and generic events, payload builders
/// and read-API shortcuts. Everything goes through the real server's HTTP surface.
/// </summary>
public static class EndToEnd
{
    /// <summary>The WooCommerce secret the end-to-end servers are configured with.</summary>
    public const string WooSecret = "test-woocommerce-secret";

    /// <summary>The WooCommerce site the fixtures come from.</summary>
    public const string WooSource = "https://shop.example.org/";

    /// <summary>The Standard Webhooks secret (whsec_ + base64 key) of generic events.</summary>
    public static readonly string EventsSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("end-to-end-events-signing-key-0001"));

    /// <summary>The settings that configure the WooCommerce and events secrets.</summary>
    public static Dictionary<string, string?> Secrets() => new()
    {
        ["Webhooks:WooCommerce:Secret"] = WooSecret,
        ["Webhooks:Events:Secret"] = EventsSecret,
    };

    /// <summary>A token that gives up after <paramref name="seconds"/>.</summary>
    public static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>A minimal Shopify order payload (shop currency USD, online store).</summary>
    public static string ShopifyOrder(long orderId, string? email, long? customerId = null, string? phone = null, decimal total = 50m,
        DateTimeOffset? placedAt = null, DateTimeOffset? updatedAt = null, string firstName = "Ada", string lastName = "Quillfeather")
    {
        var placed = placedAt ?? new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero);
        var order = new JsonObject
        {
            ["id"] = orderId,
            ["created_at"] = placed.ToString("o", CultureInfo.InvariantCulture),
            ["processed_at"] = placed.ToString("o", CultureInfo.InvariantCulture),
            ["updated_at"] = (updatedAt ?? placed).ToString("o", CultureInfo.InvariantCulture),
            ["currency"] = "USD",
            ["total_price"] = total.ToString("0.00", CultureInfo.InvariantCulture),
            ["source_name"] = "web",
            ["email"] = email,
            ["refunds"] = new JsonArray(),
        };
        if (customerId is not null)
        {
            order["customer"] = new JsonObject
            {
                ["id"] = customerId,
                ["email"] = email,
                ["phone"] = phone,
                ["first_name"] = firstName,
                ["last_name"] = lastName,
            };
        }

        return order.ToJsonString();
    }

    /// <summary>A Shopify privacy payload (<c>customers/redact</c> or <c>customers/data_request</c>).</summary>
    public static string ShopifyPrivacy(string shopDomain, long customerId, string? email, string? phone, IEnumerable<long> orderIds, bool dataRequest = false)
    {
        var payload = new JsonObject
        {
            ["shop_id"] = 954889,
            ["shop_domain"] = shopDomain,
            ["customer"] = new JsonObject { ["id"] = customerId, ["email"] = email, ["phone"] = phone },
            [dataRequest ? "orders_requested" : "orders_to_redact"] = new JsonArray([.. orderIds.Select(o => (JsonNode)JsonValue.Create(o))]),
        };
        if (dataRequest)
        {
            payload["data_request"] = new JsonObject { ["id"] = 9999 };
        }

        return payload.ToJsonString();
    }

    /// <summary>POSTs a WooCommerce webhook signed with <paramref name="secret"/> (unsigned when null).</summary>
    public static Task<HttpResponseMessage> SendWooAsync(HttpClient client, string topic, string body, string deliveryId, string? secret = WooSecret, string source = WooSource)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-WC-Webhook-Source", source);
        request.Headers.Add("X-WC-Webhook-Topic", topic);
        request.Headers.Add("X-WC-Webhook-Resource", topic.Split('.')[0]);
        request.Headers.Add("X-WC-Webhook-Event", topic.Split('.')[1]);
        request.Headers.Add("X-WC-Webhook-ID", "12");
        request.Headers.Add("X-WC-Webhook-Delivery-ID", deliveryId);
        if (secret is not null)
        {
            request.Headers.Add("X-WC-Webhook-Signature", WebhookSignatures.SignBody(secret, bytes));
        }

        return client.SendAsync(request);
    }

    /// <summary>POSTs a generic event signed the Standard Webhooks way; the timestamp defaults to now.</summary>
    public static Task<HttpResponseMessage> SendEventAsync(HttpClient client, string body, string webhookId, string? secret = null, DateTimeOffset? sentAt = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = (sentAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/events") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignatures.SignStandardWebhook(secret ?? EventsSecret, webhookId, timestamp, bytes));
        return client.SendAsync(request);
    }

    /// <summary>A generic event envelope as EVENTS.md describes it.</summary>
    public static string Event(string type, string id, DateTimeOffset occurredAt, string source, JsonObject customer, JsonObject? data = null)
    {
        var envelope = new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["occurredAt"] = occurredAt.ToString("o", CultureInfo.InvariantCulture),
            ["source"] = source,
            ["customer"] = customer,
        };
        if (data is not null)
        {
            envelope["data"] = data;
        }

        return envelope.ToJsonString();
    }

    /// <summary>A host-shaped Event Grid invocation announcing an export in the inbox (the handler streams it by name).</summary>
    public static string BlobInvocation(string exportName) =>
        HostPayloads.BlobCreated("event", "ImportPosExport", "pos-exports", exportName, new Uri("https://stcvtests.blob.core.windows.net/pos-exports/" + Uri.EscapeDataString(exportName)), 0, "\"0x1\"").ToJsonString();

    /// <summary>Writes a POS export into the server's inbox and imports it through the ImportPosExport invocation.</summary>
    public static async Task<JsonElement> ImportPosAsync(RunningServer server, string exportName, string csv)
    {
        var inbox = Path.Combine(server.DataDir, "pos-exports");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, exportName), csv);
        using var response = await server.InvokeAsync("ImportPosExport", BlobInvocation(exportName));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("ReturnValue").Clone();
    }

    /// <summary>The POS generic layout's header line.</summary>
    public const string PosHeader = "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n";

    /// <summary><c>GET api/profiles?{parameter}={value}</c>: the profiles found (zero or one).</summary>
    public static async Task<JsonElement[]> FindAsync(HttpClient client, string parameter, string value)
    {
        using var response = await client.GetAsync($"/api/profiles?{parameter}={Uri.EscapeDataString(value)}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{parameter} lookup answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The one profile owning an identity.</summary>
    public static async Task<JsonElement> SingleAsync(HttpClient client, string parameter, string value) =>
        Assert.Single(await FindAsync(client, parameter, value));

    /// <summary><c>GET api/profiles/{id}/export</c> as JSON; fails when it is not 200.</summary>
    public static async Task<JsonElement> ExportAsync(HttpClient client, string profileId)
    {
        using var response = await client.GetAsync($"/api/profiles/{profileId}/export");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"export answered {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts a 2xx answer, showing the body otherwise; returns the body.</summary>
    public static async Task<string> AssertOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>The string items of a JSON array property.</summary>
    public static string[] Strings(JsonElement element, string property) =>
        [.. element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];
}
