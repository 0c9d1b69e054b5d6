using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging;

namespace CustomerValue.Publishing.Changes;

/// <summary>What one change-feed batch produced.</summary>
/// <param name="Profiles">Documents in the batch.</param>
/// <param name="Events">Joined/left events published to the event stream (outbox file or Storage queue).</param>
/// <param name="Unchanged">Profiles whose published memberships were already current (e.g. a redelivered batch).</param>
/// <param name="Queued">Changes queued for the configured destinations, all together.</param>
public sealed record PublishResult(int Profiles, int Events, int Unchanged, int Queued = 0);

/// <summary>
/// Turns changed profiles from the change feed into joined/left segment events. For each profile it compares the
/// current segments with the memberships already published (<see cref="PublishedMembership"/>) and
/// <list type="bullet">
/// <item>writes the difference to the event stream (<see cref="ISegmentDestination"/>: the outbox file locally, the
/// Storage queue on Azure), which are themselves durable queues and so are written inline;</item>
/// <item>for each configured destination (<see cref="AudienceRouting"/>), works out the segments that destination may
/// hold the person in (its segments, consent, holdouts; <see cref="AudiencePlan"/>) and queues the difference in that
/// destination's own queue (<see cref="DeliveryQueue"/>), which the delivery function drains. No destination is
/// called here, so a slow or failing one never blocks the others or the change feed.</item>
/// </list>
/// Then it records the new memberships. A batch delivered twice therefore publishes and queues nothing the second
/// time; a crash between queuing and recording repeats changes with the same deterministic ids.
/// </summary>
public sealed class SegmentChangePublisher(
    IDocumentStore store,
    IEnumerable<ISegmentDestination> destinations,
    TimeProvider clock,
    ILogger<SegmentChangePublisher> logger,
    AudienceRouting? routing = null)
{
    private readonly IReadOnlyList<ISegmentDestination> _destinations = [.. destinations];
    private readonly AudienceRouting _routing = routing ?? AudienceRouting.None;
    private readonly DeliveryQueue _queue = new(store, clock);

    /// <summary>Publishes the segment changes of a batch of changed profiles, in batch order.</summary>
    public Task<PublishResult> PublishAsync(IReadOnlyList<CustomerProfile> changedProfiles, CancellationToken cancellationToken = default) =>
        PublishAsync(changedProfiles, null, cancellationToken);

    /// <summary>
    /// Queues for one destination only the memberships it lacks, from every profile in the store: how a destination
    /// added later (or whose audiences were lost) receives the current members first.
    /// </summary>
    public async Task<int> BackfillAsync(string destination, CancellationToken cancellationToken = default)
    {
        var settings = _routing.Find(destination) ?? throw new ArgumentException($"No destination '{destination}' is configured.", nameof(destination));
        var queued = 0;
        var page = new List<CustomerProfile>(500);
        await foreach (var document in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles, cancellationToken))
        {
            page.Add(document.Body);
            if (page.Count == page.Capacity)
            {
                queued += (await PublishAsync(page, settings, cancellationToken)).Queued;
                page.Clear();
            }
        }

        queued += (await PublishAsync(page, settings, cancellationToken)).Queued;
        logger.LogInformation("Backfill queued {Changes} changes for destination {Destination}", queued, settings.Name);
        return queued;
    }

    private async Task<PublishResult> PublishAsync(IReadOnlyList<CustomerProfile> changedProfiles, DestinationSettings? only, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changedProfiles);
        var events = 0;
        var unchanged = 0;
        var outbound = new Dictionary<string, List<OutboundChange>>(StringComparer.Ordinal);
        var records = new List<ProfilePlan>();
        // The change feed can hold several versions' worth of one profile in a redelivered or overlapping batch;
        // only its last occurrence matters.
        var latest = changedProfiles.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        // Profiles are independent: their records are read and planned concurrently (the stores commit concurrent
        // writes together); what leaves the system is then handled in batch order.
        var holdouts = await _routing.HoldoutsAsync(cancellationToken);
        var plans = new ProfilePlan?[latest.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, latest.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (i, ct) => plans[i] = await PlanAsync(latest[i], only, holdouts, ct));
        foreach (var plan in plans)
        {
            if (plan is null)
            {
                unchanged++;
                continue;
            }

            if (plan.Changes.Count > 0)
            {
                foreach (var destination in _destinations)
                {
                    await destination.DeliverAsync(plan.Changes, cancellationToken);
                    logger.LogDebug("Delivered {Changes} segment changes of one profile to {Destination}", plan.Changes.Count, destination.Name);
                }
            }

            foreach (var (destination, change) in plan.Outbound)
            {
                (outbound.TryGetValue(destination, out var list) ? list : outbound[destination] = []).Add(change);
            }

            events += plan.Changes.Count;
            records.Add(plan);
        }

        // Queued before recorded: a crash in between queues the same changes again (same ids), never loses them.
        // Destinations' queues are independent documents, written together; each person appears once per batch, so a
        // destination's changes here are netted and its documents need no order among themselves.
        await Task.WhenAll(outbound.Select(o => _queue.EnqueueAsync(o.Key, o.Value, netted: true, cancellationToken)));

        await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (plan, ct) => await RecordAsync(plan, only?.Name, ct));

        var total = outbound.Values.Sum(c => c.Count);
        if (events > 0 || total > 0)
        {
            logger.LogInformation("Published {Events} segment changes and queued {Queued} for destinations from {Profiles} profiles ({Unchanged} unchanged)", events, total, changedProfiles.Count, unchanged);
        }

        return new PublishResult(changedProfiles.Count, events, unchanged, total);
    }

    /// <summary>
    /// Profiles planned and recorded at once: enough for the embedded store to commit many records in one transaction
    /// and for Cosmos DB to keep several requests in flight, few enough not to be throttled.
    /// </summary>
    private const int Concurrency = 64;

    /// <summary>What one profile's change means: events for the stream, changes per destination, the new record.</summary>
    private sealed record ProfilePlan(
        CustomerProfile Profile,
        StoredDocument<PublishedMembership>? Stored,
        IReadOnlyList<SegmentChange> Changes,
        List<(string Destination, OutboundChange Change)> Outbound,
        Dictionary<string, DestinationMembership> Told);

    /// <summary>The plan for one profile, or null when nothing is to be published (unchanged or stale).</summary>
    private async Task<ProfilePlan?> PlanAsync(CustomerProfile profile, DestinationSettings? only, HoldoutPolicy holdouts, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync<PublishedMembership>(ContainerNames.Publications, profile.Id, profile.Id, cancellationToken);
        var published = stored?.Body;
        if (only is null && IsOlderThanPublished(profile, published))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var changes = only is null ? SegmentDiff.Between(published?.Segments ?? [], profile, now) : [];
        var told = published?.Destinations is { } before
            ? new Dictionary<string, DestinationMembership>(before, StringComparer.Ordinal)
            : new Dictionary<string, DestinationMembership>(StringComparer.Ordinal);
        var outbound = new List<(string, OutboundChange)>();
        foreach (var destination in only is null ? _routing.Destinations : [only])
        {
            Plan(profile, destination, holdouts, told, stored?.ETag, outbound, now);
        }

        return changes.Count == 0 && outbound.Count == 0 ? null : new ProfilePlan(profile, stored, changes, outbound, told);
    }

    /// <summary>Adds the changes <paramref name="destination"/> needs for this profile; updates what it was told.</summary>
    private static void Plan(CustomerProfile profile, DestinationSettings destination, HoldoutPolicy holdouts, Dictionary<string, DestinationMembership> told, string? toldVersion, List<(string, OutboundChange)> outbound, DateTimeOffset now)
    {
        var before = told.GetValueOrDefault(destination.Name);
        IReadOnlyList<string> had = before?.Segments ?? [];
        var desired = AudiencePlan.DesiredSegments(profile, destination, holdouts);
        var left = Missing(had, from: desired);
        var joined = Missing(desired, from: had);
        if (left.Count == 0 && joined.Count == 0)
        {
            PlanPropertyUpdate(profile, destination, desired, before, told, toldVersion, outbound, now);
            return;
        }

        var current = AudiencePlan.RecipientFor(profile, destination, desired);
        // A person leaves with the identifiers the destination was given: after an erasure the profile has none left.
        var leaving = (before?.Recipient ?? current) with { Segments = desired };
        outbound.AddRange(left.Select(s => (destination.Name, new OutboundChange
        {
            Change = ForKind(destination, SegmentDiff.ForDestination(SegmentChangeKind.Left, s, profile, toldVersion, now)),
            Recipient = leaving,
            Erased = profile.IsErased,
        })));
        outbound.AddRange(joined.Select(s => (destination.Name, new OutboundChange { Change = ForKind(destination, SegmentDiff.ForDestination(SegmentChangeKind.Joined, s, profile, toldVersion, now)), Recipient = current })));
        if (desired.Count == 0)
        {
            told.Remove(destination.Name);
        }
        else
        {
            told[destination.Name] = new DestinationMembership(desired, current);
        }
    }

    /// <summary>
    /// The distinct segments of <paramref name="segments"/> that <paramref name="from"/> lacks, in order. A person is in
    /// a handful of segments, so two short loops beat the hash sets of <c>Except</c>, run for every person and
    /// destination of a fan-out.
    /// </summary>
    private static List<string> Missing(IReadOnlyList<string> segments, IReadOnlyList<string> from)
    {
        var missing = new List<string>(0);
        foreach (var segment in segments)
        {
            if (!Contains(from, segment) && !Contains(missing, segment))
            {
                missing.Add(segment);
            }
        }

        return missing;
    }

    private static bool Contains(IReadOnlyList<string> segments, string segment)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            if (string.Equals(segments[i], segment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An e-mail tool keeps the value fields as profile properties for its flows (post-purchase, win-back): when they
    /// moved while the person's segments did not, the member is queued once more as a join of their first segment.
    /// Klaviyo's bulk profile import, which joins go through, is documented as an upsert (it updates a profile that
    /// exists, and adding someone to a list they are on changes nothing), so the join updates the properties.
    /// </summary>
    private static void PlanPropertyUpdate(CustomerProfile profile, DestinationSettings destination, IReadOnlyList<string> segments,
        DestinationMembership? before, Dictionary<string, DestinationMembership> told, string? toldVersion, List<(string, OutboundChange)> outbound, DateTimeOffset now)
    {
        if (destination.Type != DestinationKinds.Klaviyo || segments.Count == 0 || before is null)
        {
            return;
        }

        var current = AudiencePlan.RecipientFor(profile, destination, segments);
        if (!ValueFieldsMoved(before.Recipient, current))
        {
            return;
        }

        outbound.Add((destination.Name, new OutboundChange { Change = ForKind(destination, SegmentDiff.ForDestination(SegmentChangeKind.Joined, segments[0], profile, toldVersion, now)), Recipient = current }));
        told[destination.Name] = new DestinationMembership(segments, current);
    }

    /// <summary>
    /// True when a value field changed enough to tell an e-mail tool: predicted CLV by a unit of money or 1 %, P(alive)
    /// by a percentage point, the expected next order by a day (a recompute refits and nudges everyone's figures a
    /// little; those nudges are not worth a profile update each).
    /// </summary>
    private static bool ValueFieldsMoved(Recipient told, Recipient now) =>
        Math.Abs((told.PredictedClv ?? 0m) - (now.PredictedClv ?? 0m)) >= Math.Max(1m, 0.01m * Math.Abs(told.PredictedClv ?? 0m))
        || told.PredictedClv.HasValue != now.PredictedClv.HasValue
        || Math.Abs((told.PAlive ?? 0) - (now.PAlive ?? 0)) >= 0.01 || told.PAlive.HasValue != now.PAlive.HasValue
        || told.ExpectedNextOrderAt?.Date != now.ExpectedNextOrderAt?.Date;

    /// <summary>The reason of a membership goes only to webhooks, the one kind that passes it on.</summary>
    private static SegmentChange ForKind(DestinationSettings destination, SegmentChange change) =>
        destination.Type == DestinationKinds.Webhook ? change : change with { Reason = null };

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

    /// <summary>
    /// Writes the new record with the ETag read when planning (one write, no second read); if someone wrote in
    /// between, it falls back to a read-modify-write.
    /// </summary>
    private async Task RecordAsync(ProfilePlan plan, string? onlyDestination, CancellationToken cancellationToken)
    {
        var profile = plan.Profile;
        if (Record(profile, plan.Told, onlyDestination, plan.Stored?.Body) is { } body)
        {
            try
            {
                _ = plan.Stored is null
                    ? await store.CreateAsync(ContainerNames.Publications, profile.Id, profile.Id, body, cancellationToken)
                    : await store.ReplaceAsync(ContainerNames.Publications, profile.Id, profile.Id, body, plan.Stored.ETag, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
            {
                // Fall through to the re-reading update.
            }
        }

        await store.UpdateAsync<PublishedMembership>(ContainerNames.Publications, profile.Id, profile.Id,
            current => Record(profile, plan.Told, onlyDestination, current), cancellationToken);
    }

    private PublishedMembership Record(CustomerProfile profile, Dictionary<string, DestinationMembership> told, string? onlyDestination, PublishedMembership? current)
    {
        if (onlyDestination is not null)
        {
            // A backfill of one destination changes only that destination's entry, whatever else was published meanwhile.
            var merged = new Dictionary<string, DestinationMembership>(current?.Destinations ?? new Dictionary<string, DestinationMembership>(), StringComparer.Ordinal);
            if (told.TryGetValue(onlyDestination, out var membership))
            {
                merged[onlyDestination] = membership;
            }
            else
            {
                merged.Remove(onlyDestination);
            }

            return (current ?? new PublishedMembership { Id = profile.Id, Segments = [], PublishedAt = clock.GetUtcNow() }) with { Destinations = merged };
        }

        return new PublishedMembership
        {
            Id = profile.Id,
            Segments = IsGone(profile) ? [] : [.. profile.Segments.Order(StringComparer.Ordinal)],
            Gone = IsGone(profile),
            RunId = profile.SegmentsRunId,
            PublishedAt = clock.GetUtcNow(),
            Destinations = told.Count == 0 ? null : told,
        };
    }
}
