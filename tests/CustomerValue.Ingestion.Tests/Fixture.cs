using System.Text;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Ingestion.Tests;

/// <summary>Reads fixtures and builds signed webhook requests the way each platform sends them.</summary>
internal static class Fixture
{
    public const string ShopifySecret = "shpss_test_secret_0123456789";
    public const string WooSecret = "wc-webhook-secret";
    public const string EventsSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string Shop = "example-shop.myshopify.com";
    public const string WooSource = "https://shop.example.org/";

    public static readonly DateTimeOffset Now = new(2025, 3, 14, 10, 0, 0, TimeSpan.Zero);

    public static WebhookSecrets Secrets => new()
    {
        Shopify = new WebhookSecret { Secret = ShopifySecret },
        WooCommerce = new WebhookSecret { Secret = WooSecret },
        Events = new WebhookSecret { Secret = EventsSecret },
    };

    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path(relative));

    public static Stream Open(string relative) => File.OpenRead(Path(relative));

    public static WebhookRequest Shopify(string topic, byte[] body, string? secret = ShopifySecret, string shop = Shop)
    {
        var headers = new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = topic,
            ["X-Shopify-Shop-Domain"] = shop,
            ["X-Shopify-Webhook-Id"] = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
            ["X-Shopify-API-Version"] = "2025-01",
        };
        if (secret is not null)
        {
            headers["X-Shopify-Hmac-Sha256"] = WebhookSignatures.SignBody(secret, body);
        }

        return WebhookRequest.Create("shopify", headers, body, Now);
    }

    public static WebhookRequest Woo(string topic, byte[] body, string? secret = WooSecret, string source = WooSource)
    {
        var headers = new Dictionary<string, string>
        {
            ["x-wc-webhook-source"] = source,
            ["x-wc-webhook-topic"] = topic,
            ["x-wc-webhook-resource"] = topic.Split('.')[0],
            ["x-wc-webhook-event"] = topic.Split('.')[1],
            ["x-wc-webhook-id"] = "12",
            ["x-wc-webhook-delivery-id"] = "9d2c4b7e0f5d4c1a8e6b",
        };
        if (secret is not null)
        {
            headers["x-wc-webhook-signature"] = WebhookSignatures.SignBody(secret, body);
        }

        return WebhookRequest.Create("woocommerce", headers, body, Now);
    }

    public static WebhookRequest Event(byte[] body, string secret = EventsSecret, DateTimeOffset? sentAt = null, string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W")
    {
        var timestamp = (sentAt ?? Now).ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignatures.SignStandardWebhook(secret, id, timestamp, body),
        };
        return WebhookRequest.Create("events", headers, body, Now);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
