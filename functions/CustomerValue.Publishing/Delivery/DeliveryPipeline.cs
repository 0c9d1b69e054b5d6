using System.Text.Json;
using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Changes;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging;

namespace CustomerValue.Publishing.Delivery;

/// <summary>What one delivery round did for one destination.</summary>
/// <param name="Destination">The destination's name.</param>
/// <param name="Outcome"><c>delivered</c>, <c>idle</c>, <c>not-due</c>, <c>waiting</c> (backing off), <c>busy</c> (another round or a replay holds the destination), <c>failed</c> or <c>dead-lettered</c>.</param>
/// <param name="Delivered">Changes delivered in this round.</param>
/// <param name="DeadLettered">Changes dead-lettered in this round.</param>
/// <param name="Error">The error of a failed attempt.</param>
public sealed record DestinationRun(string Destination, string Outcome, int Delivered, int DeadLettered, string? Error = null);

/// <summary>
/// Drains each destination's queue into it, independently: batches filled to the destination's limit, at least once
/// (the read position advances only after the destination took a batch), retried with exponential back-off across
/// rounds (within a round the HTTP client retries transient failures and honours <c>429</c>/<c>Retry-After</c>), and
/// after <c>MaxAttempts</c> moved with its error to the dead letters so the destination moves on. A failing
/// destination only delays itself.
/// </summary>
public sealed class DeliveryPipeline(
    IDocumentStore store,
    IEnumerable<IAudienceDestination> destinations,
    SegmentChangePublisher publisher,
    TimeProvider clock,
    ILogger<DeliveryPipeline> logger)
{
    /// <summary>Queue documents read per page.</summary>
    public const int PageDocuments = 50;

    /// <summary>Full platform batches gathered before sending (the window advances the read position at once).</summary>
    public const int BatchesPerWindow = 5;

    /// <summary>
    /// The most changes a round holds in memory, in platform batches: past it, every segment's remainder is sent even
    /// if not full, so a rare segment whose few changes are spread over the queue cannot hold the whole queue back.
    /// </summary>
    public const int MaxHeldUploads = 8;

    /// <summary>How long a replay waits for a running delivery round of its destination to finish.</summary>
    public static readonly TimeSpan ReplayWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly IReadOnlyList<IAudienceDestination> _destinations = [.. destinations];
    private readonly DeliveryQueue _queue = new(store, clock);

    /// <summary>The configured destinations.</summary>
    public IReadOnlyList<IAudienceDestination> Destinations => _destinations;

    /// <summary>
    /// One round for every destination, in parallel. <paramref name="force"/> ignores the delivery interval and any
    /// back-off (replays, tests, the demo). A round that fails outright (the store failed while it read its queue or
    /// saved its state) reports <c>failed</c> for its destination alone: the others' rounds finished and are reported,
    /// and the next round starts again from the destination's saved position.
    /// </summary>
    public async Task<IReadOnlyList<DestinationRun>> DeliverAllAsync(bool force = false, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(_destinations.Select(d => DeliverIsolatedAsync(d, force, cancellationToken)));

    private async Task<DestinationRun> DeliverIsolatedAsync(IAudienceDestination destination, bool force, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverAsync(destination, force, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Delivery round of {Destination} failed", destination.Settings.Name);
            return new DestinationRun(destination.Settings.Name, "failed", 0, 0, e.Message);
        }
    }

    /// <summary>
    /// One round for one destination: everything queued, or until an attempt fails. Rounds never overlap: a round
    /// holds the destination's <see cref="DeliveryLease"/>, and one that finds it taken (another round, a replay,
    /// another instance) returns <c>busy</c> at once without reading the queue.
    /// </summary>
    public async Task<DestinationRun> DeliverAsync(IAudienceDestination destination, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var name = destination.Settings.Name;
        await using var lease = await DeliveryLease.TryAcquireAsync(store, clock, name, "delivery", cancellationToken);
        if (lease is null)
        {
            logger.LogInformation("Delivery round of {Destination} skipped: another round or a replay holds it", name);
            return new DestinationRun(name, "busy", 0, 0);
        }

        return await DeliverHoldingLeaseAsync(destination, lease, force, cancellationToken);
    }

    private async Task<DestinationRun> DeliverHoldingLeaseAsync(IAudienceDestination destination, DeliveryLease lease, bool force, CancellationToken cancellationToken)
    {
        var settings = destination.Settings;
        var name = settings.Name;
        var stored = await store.ReadAsync<DestinationState>(ContainerNames.Destinations, DestinationState.DocumentId, name, cancellationToken);
        var state = stored?.Body ?? new DestinationState { Destination = name };
        var etag = stored?.ETag;
        if (!state.Backfilled)
        {
            // A destination seen for the first time receives the current members first.
            await publisher.BackfillAsync(name, cancellationToken);
            (state, etag) = await SaveAsync(state with { Backfilled = true }, etag, cancellationToken);
        }

        var now = clock.GetUtcNow();
        if (!force && state.NextAttemptAt > now)
        {
            return new DestinationRun(name, "waiting", 0, 0, state.LastError);
        }

        // A tenth of slack: a timer firing every interval must not find the destination "not due" by a few milliseconds.
        if (!force && state.Attempts == 0 && state.LastRunAt + (settings.DeliveryInterval * 0.9) > now)
        {
            return new DestinationRun(name, "not-due", 0, 0);
        }

        var delivered = 0;
        var deadLettered = 0;
        string? error = null;
        var window = new UploadWindow(destination.MaxBatchSize);
        var position = state.QueuePosition;
        var more = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (lease.IsLost)
            {
                // Stalled past the lease and someone else took over: they continue from the saved position.
                logger.LogWarning("Delivery round of {Destination} lost its lease and stops", name);
                return new DestinationRun(name, "busy", delivered, deadLettered, error);
            }

            // Pages are read until several full uploads are ready; a segment's remainder waits for the next pages, so
            // uploads leave filled to the platform's limit, and only the queue's end (or a full window) sends the rest.
            while (more && window.FullUploads < BatchesPerWindow && window.HeldChanges < destination.MaxBatchSize * MaxHeldUploads)
            {
                var page = await _queue.ReadAsync(name, position, PageDocuments, cancellationToken);
                window.Add(page.Batches, page.Position);
                (position, more) = (page.Position, page.More);
            }

            var uploads = window.Take(flush: !more || window.HeldChanges >= destination.MaxBatchSize * MaxHeldUploads);
            var changes = uploads.Sum(u => u.Changes.Count);
            if (changes > 0)
            {
                try
                {
                    var report = await SendAsync(destination, uploads, cancellationToken);
                    delivered += changes;
                    state = state with
                    {
                        Delivered = state.Delivered + changes, Attempts = 0, NextAttemptAt = null, LastSuccessAt = clock.GetUtcNow(), LastReport = report,
                    };
                    logger.LogInformation("Delivered {Changes} changes to {Destination} in {Uploads} uploads ({Matched} matched, {Errors} errors)",
                        changes, name, uploads.Count, report.Matched, report.Errors);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    error = Describe(ex);
                    var attempts = state.Attempts + 1;
                    logger.LogWarning("Delivery of {Changes} changes to {Destination} failed (attempt {Attempt} of {MaxAttempts}): {Error}", changes, name, attempts, settings.MaxAttempts, error);
                    state = state with { Failed = state.Failed + 1, LastError = error, LastErrorAt = clock.GetUtcNow() };
                    if (attempts < settings.MaxAttempts)
                    {
                        // The position stays before the failed changes: the next round reads them again.
                        state = state with { Attempts = attempts, NextAttemptAt = clock.GetUtcNow() + Backoff(settings, attempts) };
                        (state, _) = await SaveAsync(state with { LastRunAt = now }, etag, cancellationToken);
                        return new DestinationRun(name, "failed", delivered, deadLettered, error);
                    }

                    await DeadLetterAsync(name, [.. uploads.SelectMany(u => u.Changes)], error, attempts, cancellationToken);
                    deadLettered += changes;
                    state = state with { Attempts = 0, NextAttemptAt = null, DeadLettered = state.DeadLettered + changes };
                }
            }

            // The position passes only pages whose every change was sent or dead-lettered (empty pages at once).
            var (handled, handledPosition) = window.Complete(uploads);
            if (handledPosition is not null)
            {
                state = state with { QueuePosition = handledPosition };
            }

            if (changes > 0 || handled.Count > 0)
            {
                (state, etag) = await SaveAsync(state, etag, cancellationToken);
                await _queue.RemoveAsync(name, handled, cancellationToken);
            }

            if (!more && window.HeldChanges == 0)
            {
                break;
            }
        }

        (state, _) = await SaveAsync(state with { LastRunAt = now }, etag, cancellationToken);
        var outcome = deadLettered > 0 ? "dead-lettered" : delivered > 0 ? "delivered" : "idle";
        return new DestinationRun(name, outcome, delivered, deadLettered, error);
    }

    /// <summary>Where every destination stands, with the changes still queued for it.</summary>
    public async Task<IReadOnlyList<DestinationStatus>> StatusAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<DestinationStatus>();
        foreach (var destination in _destinations)
        {
            var name = destination.Settings.Name;
            var state = (await store.ReadAsync<DestinationState>(ContainerNames.Destinations, DestinationState.DocumentId, name, cancellationToken))?.Body
                ?? new DestinationState { Destination = name };
            var pending = 0L;
            var position = state.QueuePosition;
            while (true)
            {
                var (batches, next, more) = await _queue.ReadAsync(name, position, 500, cancellationToken);
                pending += batches.Sum(b => b.Changes.Count);
                position = next;
                if (!more)
                {
                    break;
                }
            }

            result.Add(new DestinationStatus(name, destination.Settings.Type, destination.Settings.Segments, pending, state.Delivered, state.Failed,
                state.DeadLettered, state.Replayed, state.LastError, state.LastErrorAt, state.LastSuccessAt, state.NextAttemptAt, state.LastReport));
        }

        return result;
    }

    /// <summary>
    /// Queues a destination's dead letters again. A change that a later decision superseded (a join for a person who
    /// has since left, a leave for one who came back) is dropped instead of re-sent, so a replay never rolls an
    /// audience back. Returns the changes queued, or null for an unknown destination.
    /// </summary>
    public async Task<ReplayResult?> ReplayAsync(string destination, CancellationToken cancellationToken = default)
    {
        if (_destinations.FirstOrDefault(d => string.Equals(d.Settings.Name, destination, StringComparison.OrdinalIgnoreCase)) is not { } target)
        {
            return null;
        }

        var name = target.Settings.Name;
        // Under the lease, so that no delivery round reads the queue or writes the state while the replay changes them.
        await using var lease = await DeliveryLease.AcquireAsync(store, clock, name, "replay", ReplayWait, cancellationToken)
            ?? throw new DestinationBusyException(name, ReplayWait);
        var letters = new List<DeadLetter>();
        await foreach (var document in store.ScanAsync<JsonElement>(ContainerNames.Destinations, cancellationToken))
        {
            if (document.PartitionKey == name && document.Id.StartsWith("dl-", StringComparison.Ordinal))
            {
                letters.Add(document.Body.Deserialize<DeadLetter>(DocumentJson.Options)!);
            }
        }

        var queued = 0;
        var superseded = 0;
        var removed = 0L;
        foreach (var letter in letters.OrderBy(l => l.DeadLetteredAt))
        {
            var current = new List<OutboundChange>();
            foreach (var change in letter.Changes)
            {
                if (await IsCurrentAsync(name, change.Change, cancellationToken))
                {
                    current.Add(change);
                }
                else
                {
                    superseded++;
                }
            }

            await _queue.EnqueueAsync(name, current, cancellationToken);
            await store.DeleteAsync(ContainerNames.Destinations, letter.Id, name, cancellationToken);
            queued += current.Count;
            removed += letter.Changes.Count;
        }

        await store.UpdateAsync<DestinationState>(ContainerNames.Destinations, DestinationState.DocumentId, name, state =>
        {
            var current = state ?? new DestinationState { Destination = name, Backfilled = true };
            return current with { DeadLettered = Math.Max(0, current.DeadLettered - removed), Replayed = current.Replayed + queued, NextAttemptAt = null, Attempts = 0 };
        }, cancellationToken);
        logger.LogInformation("Replayed {Letters} dead letters of {Destination}: {Queued} changes queued, {Superseded} superseded", letters.Count, name, queued, superseded);
        return new ReplayResult(name, letters.Count, queued, superseded);
    }

    private async Task<bool> IsCurrentAsync(string destination, SegmentChange change, CancellationToken cancellationToken)
    {
        var published = await store.ReadAsync<PublishedMembership>(ContainerNames.Publications, change.ProfileId, change.ProfileId, cancellationToken);
        var member = published?.Body.Destinations?.GetValueOrDefault(destination)?.Segments.Contains(change.Segment, StringComparer.Ordinal) == true;
        return member == (change.Kind == SegmentChangeKind.Joined);
    }

    private static async Task<DeliveryReport> SendAsync(IAudienceDestination destination, IReadOnlyList<UploadWindow.Upload> uploads, CancellationToken cancellationToken)
    {
        int sent = 0, matched = 0, errors = 0;
        var anyMatched = false;
        var anyErrors = false;
        string? detail = null;
        // Each upload is one segment's changes in queue order, at most the platform's limit: audiences are per segment.
        foreach (var upload in uploads)
        {
            var report = await destination.SendAsync(upload.Changes, cancellationToken);
            sent += report.Sent;
            matched += report.Matched ?? 0;
            errors += report.Errors ?? 0;
            anyMatched |= report.Matched is not null;
            anyErrors |= report.Errors is not null;
            detail = report.Detail ?? detail;
        }

        return new DeliveryReport(sent, anyMatched ? matched : null, anyErrors ? errors : null, detail);
    }

    private async Task DeadLetterAsync(string destination, List<OutboundChange> changes, string error, int attempts, CancellationToken cancellationToken)
    {
        var id = "dl-" + DeliveryQueue.BatchId(destination, changes)[2..];
        var letter = new DeadLetter { Id = id, Destination = destination, Changes = changes, Error = error, Attempts = attempts, DeadLetteredAt = clock.GetUtcNow() };
        await store.UpsertAsync(ContainerNames.Destinations, id, destination, letter, cancellationToken);
        logger.LogError("Dead-lettered {Changes} changes for {Destination} after {Attempts} attempts: {Error}", changes.Count, destination, attempts, error);
    }

    private async Task<(DestinationState State, string? ETag)> SaveAsync(DestinationState state, string? etag, CancellationToken cancellationToken)
    {
        // The state is written only by the holder of the destination's lease; the ETag still turns a holder that lost
        // its lease into an error rather than a position moved back.
        var saved = etag is null
            ? await store.UpsertAsync(ContainerNames.Destinations, DestinationState.DocumentId, state.Destination, state, cancellationToken)
            : await store.ReplaceAsync(ContainerNames.Destinations, DestinationState.DocumentId, state.Destination, state, etag, cancellationToken);
        return (saved.Body, saved.ETag);
    }

    /// <summary>Exponential back-off between rounds: 30 × <c>RetryDelay</c> × 2^(attempt−1), at most five minutes, plus up to 20 % jitter.</summary>
    public static TimeSpan Backoff(DestinationSettings settings, int attempt)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseDelay = DestinationHttp.RetryDelay(settings) * 30;
        var delay = TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 16))));
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.2 * Random.Shared.NextDouble()));
    }

    private static string Describe(Exception ex) => ex switch
    {
        DestinationException d => d.Message,
        HttpRequestException h => $"HTTP request failed ({(h.StatusCode is { } s ? (int)s : "no answer")}): {h.Message}",
        TimeoutException or TaskCanceledException or OperationCanceledException => "The destination did not answer in time.",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}

/// <summary>One destination as <c>GET api/destinations</c> shows it.</summary>
public sealed record DestinationStatus(
    string Name,
    string Type,
    IReadOnlyList<string> Segments,
    long Pending,
    long Delivered,
    long Failed,
    long DeadLettered,
    long Replayed,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? NextAttemptAt,
    DeliveryReport? LastReport);

/// <summary>What a replay did.</summary>
/// <param name="Destination">The destination.</param>
/// <param name="DeadLetters">Dead letters taken.</param>
/// <param name="Queued">Changes queued again.</param>
/// <param name="Superseded">Changes dropped because a later decision replaced them.</param>
public sealed record ReplayResult(string Destination, int DeadLetters, int Queued, int Superseded);
