using System.Diagnostics.CodeAnalysis;

namespace CustomerValue.Ingestion.Webhooks;

/// <summary>Either a parsed webhook or a message saying what is wrong with the payload (answer 400 with it).</summary>
public sealed class WebhookParseResult
{
    private WebhookParseResult(ParsedWebhook? webhook, string? error)
    {
        Webhook = webhook;
        Error = error;
    }

    /// <summary>The parsed delivery when <see cref="Succeeded"/>.</summary>
    public ParsedWebhook? Webhook { get; }

    /// <summary>What is wrong, naming fields and positions but never personal values.</summary>
    public string? Error { get; }

    /// <summary>True when <see cref="Webhook"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Webhook))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Webhook is not null;

    /// <summary>A parsed delivery.</summary>
    public static WebhookParseResult Success(ParsedWebhook webhook) =>
        new(webhook ?? throw new ArgumentNullException(nameof(webhook)), null);

    /// <summary>A payload that cannot be used.</summary>
    public static WebhookParseResult Failure(string error) =>
        new(null, string.IsNullOrWhiteSpace(error) ? throw new ArgumentException("An error message is required.", nameof(error)) : error);

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"{Webhook.Platform} {Webhook.Topic} {Webhook.DeliveryId}" : Error;
}
