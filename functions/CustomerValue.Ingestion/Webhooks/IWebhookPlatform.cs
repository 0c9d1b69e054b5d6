namespace CustomerValue.Ingestion.Webhooks;

/// <summary>One shop platform's webhooks: how they are signed and what they say.</summary>
public interface IWebhookPlatform
{
    /// <summary>The route name, e.g. <c>shopify</c>.</summary>
    string Name { get; }

    /// <summary>Checks the signature over the raw body. Never throws for caller data.</summary>
    SignatureCheck Verify(WebhookRequest request, WebhookSecrets secrets);

    /// <summary>Reads the delivery. Never throws for caller data: problems come back as a failure result.</summary>
    WebhookParseResult Parse(WebhookRequest request);
}
