namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// A batch of changes queued for one destination (container <c>outbound</c>, partition key = destination). Its id
/// is a hash of its event ids, so a change-feed batch published twice writes the same document twice, not two.
/// </summary>
public sealed record OutboundBatch
{
    /// <summary>Deterministic id.</summary>
    public required string Id { get; init; }

    /// <summary>The destination's name.</summary>
    public required string Destination { get; init; }

    /// <summary>The changes, in order.</summary>
    public required IReadOnlyList<OutboundChange> Changes { get; init; }

    /// <summary>When it was queued.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }
}

/// <summary>
/// Where one destination stands (container <c>destinations</c>, id <see cref="DocumentId"/>, partition key =
/// destination): its read position in the queue, counters, the last error and success, and the retry schedule.
/// </summary>
public sealed record DestinationState
{
    /// <summary>The id of the state document in the destination's partition.</summary>
    public const string DocumentId = "state";

    /// <summary>Always <see cref="DocumentId"/>.</summary>
    public string Id { get; init; } = DocumentId;

    /// <summary>The destination's name.</summary>
    public required string Destination { get; init; }

    /// <summary>
    /// Position in the change feed of the destination's own queue partition up to which everything was delivered or
    /// dead-lettered. Versions before it kept a position in the whole container's feed (<c>continuation</c>), which is
    /// not carried over: a destination without this position reads its partition from the start, which holds only what
    /// is not yet delivered (delivered batches are deleted), so at most the batches whose delete failed are sent again.
    /// </summary>
    public string? QueuePosition { get; init; }

    /// <summary>True once the destination received every current member (a new destination starts with a backfill).</summary>
    public bool Backfilled { get; init; }

    /// <summary>Changes delivered.</summary>
    public long Delivered { get; init; }

    /// <summary>Failed delivery attempts.</summary>
    public long Failed { get; init; }

    /// <summary>Changes now waiting in the dead letters.</summary>
    public long DeadLettered { get; init; }

    /// <summary>Changes re-sent from the dead letters.</summary>
    public long Replayed { get; init; }

    /// <summary>Consecutive failed attempts of the batch at the head of the queue.</summary>
    public int Attempts { get; init; }

    /// <summary>Not before this time is the next attempt made (back-off after a failure).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The last error, without personal data.</summary>
    public string? LastError { get; init; }

    /// <summary>When the last error happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>When a batch was last delivered.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>When the destination was last looked at by the delivery function.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>What the platform reported for the last delivered batch.</summary>
    public DeliveryReport? LastReport { get; init; }
}

/// <summary>Changes a destination refused <c>MaxAttempts</c> times, kept with the error for a replay.</summary>
public sealed record DeadLetter
{
    /// <summary>Id (<c>dl-…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The destination's name.</summary>
    public required string Destination { get; init; }

    /// <summary>The changes.</summary>
    public required IReadOnlyList<OutboundChange> Changes { get; init; }

    /// <summary>The last error.</summary>
    public required string Error { get; init; }

    /// <summary>Attempts made.</summary>
    public required int Attempts { get; init; }

    /// <summary>When it was dead-lettered.</summary>
    public required DateTimeOffset DeadLetteredAt { get; init; }
}
