namespace CustomerValue.Ingestion.Webhooks;

/// <summary>One shop platform's webhooks: how they are signed and what they say.</summary>
public interface IWebhookPlatform
{
    /// <summary>The route name, e.g. <c>shopify</c>.</summary>
    string Name { get; }

    /// <summary>Checks the signature over the raw body. Never throws for caller data.</summary>
    SignatureCheck Verify(WebhookRequest request, WebhookSecrets secrets);

    /// <summary>
    /// Starts checking the signature from the headers alone (<paramref name="headers"/> carries no body), so that the
    /// intake can refuse a forged delivery before buffering or parsing it. By default the body is read first and
    /// checked whole by <see cref="Verify"/>.
    /// </summary>
    StreamingSignature BeginVerify(WebhookRequest headers, WebhookSecrets secrets) => StreamingSignature.AfterBody();

    /// <summary>Reads the delivery. Never throws for caller data: problems come back as a failure result.</summary>
    WebhookParseResult Parse(WebhookRequest request);
}
