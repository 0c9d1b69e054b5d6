using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging;

namespace CustomerValue.Publishing.Changes;

/// <summary>What one change-feed batch produced.</summary>
/// <param name="Profiles">Documents in the batch.</param>
/// <param name="Events">Joined/left events delivered.</param>
/// <param name="Unchanged">Profiles whose published memberships were already current (e.g. a redelivered batch).</param>
public sealed record PublishResult(int Profiles, int Events, int Unchanged);

/// <summary>
/// Turns changed profiles from the change feed into joined/left segment events for every destination.
/// For each profile it compares the current segments with the memberships already published, delivers the
/// difference, then records the new memberships (ETag-checked). A batch delivered twice therefore publishes
/// nothing the second time; a crash between delivering and recording can repeat events, which carry the same
/// deterministic ids. Any destination failure fails the batch so that the trigger's retry policy re-runs it.
/// </summary>
public sealed class SegmentChangePublisher(IDocumentStore store, IEnumerable<ISegmentDestination> destinations, TimeProvider clock, ILogger<SegmentChangePublisher> logger)
{
    private readonly IReadOnlyList<ISegmentDestination> _destinations = [.. destinations];

    /// <summary>Publishes the segment changes of a batch of changed profiles, in batch order.</summary>
    public async Task<PublishResult> PublishAsync(IReadOnlyList<CustomerProfile> changedProfiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changedProfiles);
        var events = 0;
        var unchanged = 0;
        // The change feed can hold several versions' worth of one profile in a redelivered or overlapping batch;
        // only its last occurrence matters.
        var latest = changedProfiles.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.Last());
        foreach (var profile in latest)
        {
            var published = await store.ReadAsync<PublishedMembership>(ContainerNames.Publications, profile.Id, profile.Id, cancellationToken);
            if (IsOlderThanPublished(profile, published?.Body))
            {
                unchanged++;
                continue;
            }

            var changes = SegmentDiff.Between(published?.Body.Segments ?? [], profile, clock.GetUtcNow());
            if (changes.Count == 0)
            {
                unchanged++;
                continue;
            }

            foreach (var destination in _destinations)
            {
                await destination.DeliverAsync(changes, cancellationToken);
                logger.LogDebug("Delivered {Changes} segment changes of one profile to {Destination}", changes.Count, destination.Name);
            }

            await RecordAsync(profile, cancellationToken);
            events += changes.Count;
        }

        if (events > 0)
        {
            logger.LogInformation("Published {Events} segment changes for {Profiles} profiles ({Unchanged} unchanged)", events, changedProfiles.Count, unchanged);
        }

        return new PublishResult(changedProfiles.Count, events, unchanged);
    }

    /// <summary>
    /// A stale copy (an old batch redelivered after a newer decision was published) must not roll memberships back.
    /// Run ids sort by time, so a document decided by an earlier run than the published one is stale. A live copy
    /// decided by the same run as a published merge or erasure is stale too: a person comes back after an erasure only
    /// with a newer run's decision.
    /// </summary>
    private static bool IsOlderThanPublished(CustomerProfile profile, PublishedMembership? published)
    {
        if (published?.RunId is not { } publishedRun || profile.SegmentsRunId is not { } profileRun)
        {
            return false;
        }

        var order = string.CompareOrdinal(profileRun, publishedRun);
        return order < 0 || (order == 0 && published.Gone && !IsGone(profile));
    }

    private static bool IsGone(CustomerProfile profile) => profile.IsRedirect || profile.IsErased;

    private Task<StoredDocument<PublishedMembership>?> RecordAsync(CustomerProfile profile, CancellationToken cancellationToken) =>
        store.UpdateAsync<PublishedMembership>(ContainerNames.Publications, profile.Id, profile.Id, _ => new PublishedMembership
        {
            Id = profile.Id,
            Segments = IsGone(profile) ? [] : [.. profile.Segments.Order(StringComparer.Ordinal)],
            Gone = IsGone(profile),
            RunId = profile.SegmentsRunId,
            PublishedAt = clock.GetUtcNow(),
        }, cancellationToken);
}
