namespace CustomerValue.Application.Webhooks;

/// <summary>
/// A webhook delivery already processed (container <c>deliveries</c>, id = hash of platform, source and the
/// platform's delivery id). Shopify retries a delivery up to 8 times over 4 hours; the retry finds this record and
/// is answered 200 without being processed again.
/// </summary>
public sealed record WebhookDelivery
{
    /// <summary>Document id.</summary>
    public required string Id { get; init; }

    /// <summary>Platform route name.</summary>
    public required string Platform { get; init; }

    /// <summary>Shop domain, site or event source.</summary>
    public required string Source { get; init; }

    /// <summary>Topic or event type.</summary>
    public required string Topic { get; init; }

    /// <summary>The platform's delivery id.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>When it was processed.</summary>
    public required DateTimeOffset ProcessedAt { get; init; }

    /// <summary>Profiles the delivery touched.</summary>
    public IReadOnlyList<string> ProfileIds { get; init; } = [];
}
