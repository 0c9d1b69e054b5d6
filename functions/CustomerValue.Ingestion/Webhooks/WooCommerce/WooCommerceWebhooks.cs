using System.Text;
using System.Text.Json;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.WooCommerce;

/// <summary>
/// WooCommerce webhooks (REST API v3 payloads). Headers: <c>X-WC-Webhook-Source</c> (the site's home URL),
/// <c>X-WC-Webhook-Topic</c>, <c>X-WC-Webhook-Signature</c> (base64 HMAC-SHA256 of the raw body) and
/// <c>X-WC-Webhook-Delivery-ID</c>. When a webhook is created WooCommerce first POSTs an unsigned ping,
/// body <c>webhook_id=N</c>, with none of these headers, and keeps the webhook only if it gets a 200.
/// </summary>
public sealed class WooCommerceWebhooks : IWebhookPlatform
{
    /// <summary>The route name.</summary>
    public const string PlatformName = "woocommerce";

    /// <summary>The topics this parser reads (plus the ping).</summary>
    public static readonly IReadOnlyList<string> Topics =
        ["order.created", "order.updated", "order.restored", "order.deleted", "customer.created", "customer.updated"];

    /// <inheritdoc />
    public string Name => PlatformName;

    /// <inheritdoc />
    public SignatureCheck Verify(WebhookRequest request, WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);
        var signature = request.Header("X-WC-Webhook-Signature");

        // WooCommerce never signs the ping; it carries nothing but the webhook's number, so accepting it unsigned
        // exposes nothing and lets the merchant save the webhook.
        if (signature is null && PingWebhookId(request.Body.Span) is not null)
        {
            return SignatureCheck.Valid;
        }

        var secret = secrets.WooCommerce.Resolve(SiteKey(request.Header("X-WC-Webhook-Source")));
        return WebhookSignatures.VerifyBodyHmac(secret, request.Body.Span, signature);
    }

    /// <summary>The longest unsigned body worth reading: a ping (<c>webhook_id=N</c>) is a few bytes.</summary>
    public const int MaxUnsignedBodyBytes = 1024;

    /// <inheritdoc />
    public StreamingSignature BeginVerify(WebhookRequest headers, WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);
        var signature = headers.Header("X-WC-Webhook-Signature");

        // Unsigned, it can only be a ping, which Verify recognises in the (short) body.
        return signature is null
            ? StreamingSignature.AfterBody(MaxUnsignedBodyBytes)
            : WebhookSignatures.BeginBodyHmac(secrets.WooCommerce.Resolve(SiteKey(headers.Header("X-WC-Webhook-Source"))), signature);
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var site = SiteKey(request.Header("X-WC-Webhook-Source"));
            if (PingWebhookId(request.Body.Span) is { } webhookId)
            {
                return WebhookParseResult.Success(new ParsedWebhook
                {
                    Platform = PlatformName,
                    Topic = "ping",
                    Source = site ?? "unknown",
                    DeliveryId = $"ping:{webhookId}",
                    IsPing = true,
                });
            }

            var topic = request.Header("X-WC-Webhook-Topic")?.ToLowerInvariant()
                ?? throw new PayloadException("woocommerce: header X-WC-Webhook-Topic is missing.");
            if (site is null)
            {
                throw new PayloadException("woocommerce: header X-WC-Webhook-Source is missing or not a URL.");
            }

            var deliveryId = request.Header("X-WC-Webhook-Delivery-ID")
                ?? throw new PayloadException("woocommerce: header X-WC-Webhook-Delivery-ID is missing.");
            if (!Topics.Contains(topic, StringComparer.Ordinal))
            {
                throw new PayloadException($"woocommerce: topic {PayloadException.Token(topic)} is not supported; supported: {string.Join(", ", Topics)}.");
            }

            using var document = JsonFields.ParseDocument(request.Body, $"woocommerce {topic}");
            var webhook = new ParsedWebhook { Platform = PlatformName, Topic = topic, Source = site, DeliveryId = deliveryId };
            return WebhookParseResult.Success(Read(webhook, document.RootElement));
        }
        catch (PayloadException ex)
        {
            return WebhookParseResult.Failure(ex.Message);
        }
    }

    /// <summary>
    /// The site as keys name it: the host of <c>X-WC-Webhook-Source</c>, plus the path for a site installed in a
    /// sub-folder (<c>example.com/shop</c>); null when the header is absent or not a URL.
    /// </summary>
    public static string? SiteKey(string? sourceHeader)
    {
        if (sourceHeader is null || !Uri.TryCreate(sourceHeader, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return null;
        }

        var path = uri.AbsolutePath.Trim('/');
        return (path.Length == 0 ? uri.Host : $"{uri.Host}/{path}").ToLowerInvariant();
    }

    private static ParsedWebhook Read(ParsedWebhook webhook, JsonElement payload)
    {
        var context = $"woocommerce {webhook.Topic}";
        switch (webhook.Topic)
        {
            case "order.deleted":
                // Deletion payloads carry only the id: nothing names the customer.
                return webhook with { DeletedOrderKeys = [WooCommerceOrders.OrderKey(webhook.Source, payload.RequiredString("id", context))] };
            case "customer.created" or "customer.updated":
                return webhook with { Activities = [WooCommerceCustomers.Read(webhook.Source, payload, context)] };
            default:
                return webhook with { Activities = [WooCommerceOrders.Read(webhook.Source, payload, context)] };
        }
    }

    private static string? PingWebhookId(ReadOnlySpan<byte> body)
    {
        const string prefix = "webhook_id=";
        if (body.Length > 64 || body.Length <= prefix.Length)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        return text.StartsWith(prefix, StringComparison.Ordinal) && text[prefix.Length..].All(char.IsAsciiDigit) && text.Length > prefix.Length
            ? text[prefix.Length..]
            : null;
    }
}
