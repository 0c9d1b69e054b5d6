using CustomerValue.Domain.Segments;

namespace CustomerValue.Publishing.Destinations;

/// <summary>
/// A place where marketing acts on segment changes (an ad platform, an e-mail tool, a webhook, a file).
/// Delivery is at least once: after a crash a change may arrive again with the same <see cref="SegmentChange.EventId"/>.
/// A destination throws when it cannot take the changes; the batch is then retried.
/// </summary>
public interface ISegmentDestination
{
    /// <summary>Name used in logs and in the publisher's results.</summary>
    string Name { get; }

    /// <summary>Delivers a batch of changes, in order.</summary>
    Task DeliverAsync(IReadOnlyList<SegmentChange> changes, CancellationToken cancellationToken = default);
}
