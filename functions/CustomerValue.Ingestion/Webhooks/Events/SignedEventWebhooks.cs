using System.Text.Json;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Events;

/// <summary>
/// Generic customer events from any system (CRM, survey tool, loyalty platform, app backend), signed per the
/// Standard Webhooks specification (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>).
/// The JSON envelope and the event types are documented in <c>EVENTS.md</c> beside this project.
/// </summary>
public sealed class SignedEventWebhooks : IWebhookPlatform
{
    /// <summary>The route name.</summary>
    public const string PlatformName = "events";

    /// <inheritdoc />
    public string Name => PlatformName;

    /// <inheritdoc />
    public SignatureCheck Verify(WebhookRequest request, WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secrets);

        // The secret may be chosen per source, which only the (not yet trusted) body names; a forged source
        // merely selects a secret the forger does not know.
        var secret = secrets.Events.Resolve(PeekSource(request.Body));
        return WebhookSignatures.VerifyStandardWebhook(
            secret,
            request.Header("webhook-id"),
            request.Header("webhook-timestamp"),
            request.Header("webhook-signature"),
            request.Body.Span,
            request.ReceivedAt);
    }

    /// <inheritdoc />
    public StreamingSignature BeginVerify(WebhookRequest headers, WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);

        // With per-source secrets the key is named by the body, so it is read (within the route's limit) first.
        if (secrets.Events.Sources.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
        {
            return StreamingSignature.AfterBody();
        }

        return WebhookSignatures.BeginStandardWebhook(
            secrets.Events.Resolve(null), headers.Header("webhook-id"), headers.Header("webhook-timestamp"), headers.Header("webhook-signature"), headers.ReceivedAt);
    }

    /// <inheritdoc />
    public WebhookParseResult Parse(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var deliveryId = request.Header("webhook-id") ?? throw new PayloadException("events: header webhook-id is missing.");
            using var document = JsonFields.ParseDocument(request.Body, "events");
            var envelope = EventEnvelope.Read(document.RootElement);
            return WebhookParseResult.Success(new ParsedWebhook
            {
                Platform = PlatformName,
                Topic = envelope.Type,
                Source = envelope.Source,
                DeliveryId = deliveryId,
                Activities = [EventActivities.Read(envelope)],
            });
        }
        catch (PayloadException ex)
        {
            return WebhookParseResult.Failure(ex.Message);
        }
    }

    private static string? PeekSource(ReadOnlyMemory<byte> body)
    {
        // The body is not trusted yet: anything unreadable selects the default secret, and Parse reports it later.
        try
        {
            using var document = JsonFields.ParseDocument(body, "events");
            return document.RootElement.String("source");
        }
        catch (PayloadException)
        {
            return null;
        }
    }
}
