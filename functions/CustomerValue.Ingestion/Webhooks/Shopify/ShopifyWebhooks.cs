using System.Text.Json;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Shopify;

/// <summary>
/// Shopify Admin webhooks (JSON). Signed with the app secret: <c>X-Shopify-Hmac-Sha256</c> = base64 HMAC-SHA256
/// of the raw body. The topic, shop and delivery id come from <c>X-Shopify-Topic</c>, <c>X-Shopify-Shop-Domain</c>
/// and <c>X-Shopify-Webhook-Id</c>.
/// </summary>
public sealed class ShopifyWebhooks : IWebhookPlatform
{
    /// <summary>The route name.</summary>
    public const string PlatformName = "shopify";

    /// <summary>The topics this parser reads.</summary>
    public static readonly IReadOnlyList<string> Topics =
    [
        "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "refunds/create",
        "customers/create", "customers/update", "customers/data_request", "customers/redact", "shop/redact",
    ];

    /// <inheritdoc />
    public string Name => PlatformName;

    /// <inheritdoc />
    public SignatureCheck Verify(WebhookRequest request, WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);
        var secret = secrets.Shopify.Resolve(request.Header("X-Shopify-Shop-Domain"));
        return WebhookSignatures.VerifyBodyHmac(secret, request.Body.Span, request.Header("X-Shopify-Hmac-Sha256"));
    }

    /// <inheritdoc />
    public StreamingSignature BeginVerify(WebhookRequest headers, WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);
        return WebhookSignatures.BeginBodyHmac(secrets.Shopify.Resolve(headers.Header("X-Shopify-Shop-Domain")), headers.Header("X-Shopify-Hmac-Sha256"));
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var topic = request.Header("X-Shopify-Topic")?.ToLowerInvariant()
                ?? throw new PayloadException("shopify: header X-Shopify-Topic is missing.");
            var shopDomain = request.Header("X-Shopify-Shop-Domain")?.ToLowerInvariant()
                ?? throw new PayloadException("shopify: header X-Shopify-Shop-Domain is missing.");
            var deliveryId = request.Header("X-Shopify-Webhook-Id")
                ?? throw new PayloadException("shopify: header X-Shopify-Webhook-Id is missing.");
            if (!Topics.Contains(topic, StringComparer.Ordinal))
            {
                throw new PayloadException($"shopify: topic {PayloadException.Token(topic)} is not supported; supported: {string.Join(", ", Topics)}.");
            }

            using var document = JsonFields.ParseDocument(request.Body, $"shopify {topic}");
            var webhook = new ParsedWebhook
            {
                Platform = PlatformName,
                Topic = topic,
                Source = shopDomain,
                DeliveryId = deliveryId,
            };
            var shop = new ShopifyShop(shopDomain);
            return WebhookParseResult.Success(Read(webhook, shop, document.RootElement));
        }
        catch (PayloadException ex)
        {
            return WebhookParseResult.Failure(ex.Message);
        }
    }

    private static ParsedWebhook Read(ParsedWebhook webhook, ShopifyShop shop, JsonElement payload)
    {
        var context = $"shopify {webhook.Topic}";
        switch (webhook.Topic)
        {
            case "refunds/create":
                var warnings = new List<string>();
                var refund = ShopifyOrders.ReadRefund(shop, payload, context, warnings);
                return webhook with { Activities = [refund], Warnings = warnings };
            case "customers/create" or "customers/update":
                return webhook with { Activities = [ShopifyCustomers.Read(shop, payload, context)] };
            case "customers/data_request" or "customers/redact" or "shop/redact":
                return webhook with { Privacy = ShopifyPrivacy.Read(shop, webhook.Topic, payload) };
            default:
                var orderWarnings = new List<string>();
                var order = ShopifyOrders.ReadOrder(shop, payload, context, orderWarnings);
                return webhook with { Activities = [order], Warnings = orderWarnings };
        }
    }
}
