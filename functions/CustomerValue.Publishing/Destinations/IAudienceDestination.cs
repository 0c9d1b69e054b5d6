using CustomerValue.Publishing.Delivery;

namespace CustomerValue.Publishing.Destinations;

/// <summary>
/// A destination reached through the delivery pipeline (an ad platform, an e-mail tool, a webhook, audience files).
/// It is handed batches of at most <see cref="MaxBatchSize"/> changes in order, at least once: a batch can arrive
/// again after a failure, so sending must be idempotent (adding a member twice, removing one who is gone).
/// It throws <see cref="DestinationException"/> when the platform refused the batch; the pipeline retries it and
/// dead-letters it after <see cref="DestinationSettings.MaxAttempts"/>.
/// </summary>
public interface IAudienceDestination
{
    /// <summary>The destination's settings (name, kind, segments).</summary>
    DestinationSettings Settings { get; }

    /// <summary>The most changes one call to <see cref="SendAsync"/> takes (the platform's batch limit).</summary>
    int MaxBatchSize { get; }

    /// <summary>Sends a batch; returns what the platform reported.</summary>
    Task<DeliveryReport> SendAsync(IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default);
}
