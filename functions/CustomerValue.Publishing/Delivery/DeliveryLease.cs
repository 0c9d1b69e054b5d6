using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// The right to work on one destination's queue, state and dead letters: a lease document (id <see cref="DocumentId"/>)
/// in the destination's partition of the <c>destinations</c> container, taken and renewed only through ETag-checked
/// writes, so exactly one holder wins whether the contenders are two calls in one process (the local delivery pump and
/// a replay request) or two instances of the function app on Cosmos DB. Without it two delivery rounds read the same
/// position, both send the same batch, and the loser of the state write fails after sending: the batch arrives twice.
/// <para>
/// The lease expires <see cref="Duration"/> after its last renewal, so a holder that died frees it; while held it is
/// renewed in the background every third of that. A holder that cannot renew (it stalled longer than the lease, and
/// someone else took over) sees <see cref="IsLost"/> and stops before its next batch; its state write then fails on
/// the state's own ETag rather than moving the position back.
/// </para>
/// </summary>
public sealed class DeliveryLease : IAsyncDisposable
{
    /// <summary>The lease document's id in the destination's partition.</summary>
    public const string DocumentId = "lease";

    /// <summary>How long a lease lasts without renewal.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);

    private readonly IDocumentStore _store;
    private readonly TimeProvider _clock;
    private readonly string _destination;
    private readonly string _holder;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Task _renewal;
    private string _etag;
    private volatile bool _lost;

    private DeliveryLease(IDocumentStore store, TimeProvider clock, string destination, string holder, string etag)
    {
        _store = store;
        _clock = clock;
        _destination = destination;
        _holder = holder;
        _etag = etag;
        _renewal = RenewInBackgroundAsync();
    }

    /// <summary>True once the lease could not be renewed: the holder must stop before its next batch.</summary>
    public bool IsLost => _lost;

    /// <summary>
    /// Takes the destination's lease if it is free or expired; null when another holder has it. <paramref name="purpose"/>
    /// names the holder in the document (e.g. <c>delivery</c>, <c>replay</c>) for whoever inspects it.
    /// </summary>
    public static async Task<DeliveryLease?> TryAcquireAsync(IDocumentStore store, TimeProvider clock, string destination, string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        var holder = $"{purpose}:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var now = clock.GetUtcNow();
        var lease = new LeaseDocument { Destination = destination, Holder = holder, AcquiredAt = now, ExpiresAt = now + Duration };
        try
        {
            var current = await store.ReadAsync<LeaseDocument>(ContainerNames.Destinations, DocumentId, destination, cancellationToken);
            StoredDocument<LeaseDocument> taken;
            if (current is null)
            {
                taken = await store.CreateAsync(ContainerNames.Destinations, DocumentId, destination, lease, cancellationToken);
            }
            else if (current.Body.Holder is null || current.Body.ExpiresAt <= now)
            {
                taken = await store.ReplaceAsync(ContainerNames.Destinations, DocumentId, destination, lease, current.ETag, cancellationToken);
            }
            else
            {
                return null;
            }

            return new DeliveryLease(store, clock, destination, holder, taken.ETag);
        }
        catch (Exception ex) when (ex is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
        {
            // Someone else created or took it between our read and our write, or our own write was applied and only its
            // answer was lost, and the store's retry of it then collided with it: the lease then names us, and is ours.
            return await HeldByAsync(store, destination, holder, cancellationToken) is { } ours
                ? new DeliveryLease(store, clock, destination, holder, ours.ETag)
                : null;
        }
    }

    /// <summary>The stored lease if <paramref name="holder"/> holds it; how a write whose answer was lost is settled.</summary>
    private static async Task<StoredDocument<LeaseDocument>?> HeldByAsync(IDocumentStore store, string destination, string holder, CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync<LeaseDocument>(ContainerNames.Destinations, DocumentId, destination, cancellationToken);
        return current?.Body.Holder == holder ? current : null;
    }

    /// <summary>
    /// Takes the lease, waiting while another holder has it, for at most <paramref name="wait"/>; null if it stayed taken.
    /// </summary>
    public static async Task<DeliveryLease?> AcquireAsync(IDocumentStore store, TimeProvider clock, string destination, string purpose, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await TryAcquireAsync(store, clock, destination, purpose, cancellationToken) is { } lease)
            {
                return lease;
            }

            if (waited.Elapsed >= wait)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Extends the lease; false (and <see cref="IsLost"/>) when someone else took it meanwhile.</summary>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken = default)
    {
        if (_lost)
        {
            return false;
        }

        await _write.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow();
            var renewed = await _store.ReplaceAsync(ContainerNames.Destinations, DocumentId, _destination,
                new LeaseDocument { Destination = _destination, Holder = _holder, AcquiredAt = now, ExpiresAt = now + Duration }, _etag, cancellationToken);
            _etag = renewed.ETag;
            return true;
        }
        catch (Exception ex) when (ex is DocumentPreconditionFailedException or DocumentNotFoundException)
        {
            // As when taking it: a renewal applied whose answer was lost leaves the lease ours under a new ETag.
            if (await HeldByAsync(_store, _destination, _holder, cancellationToken) is { } ours)
            {
                _etag = ours.ETag;
                return true;
            }

            _lost = true;
            return false;
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>
    /// Stops renewing and frees the lease if it is still ours. A holder that stopped because it could not renew checks
    /// the stored lease first: a renewal that failed on the store's side may have left it ours, and leaving it would
    /// keep every other round off the destination until it expires.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewal;
        await _write.WaitAsync();
        try
        {
            var etag = _lost ? (await HeldByAsync(_store, _destination, _holder, CancellationToken.None))?.ETag : _etag;
            if (etag is not null)
            {
                await ReleaseAsync(etag);
            }
        }
        catch (Exception ex) when (ex is DocumentPreconditionFailedException or DocumentNotFoundException)
        {
            // Taken over after it expired (it is the new holder's now), or our release was applied and only its answer lost.
        }
        finally
        {
            _write.Release();
            _write.Dispose();
            _stop.Dispose();
        }
    }

    private async Task ReleaseAsync(string etag)
    {
        var now = _clock.GetUtcNow();
        await _store.ReplaceAsync(ContainerNames.Destinations, DocumentId, _destination,
            new LeaseDocument { Destination = _destination, Holder = null, AcquiredAt = now, ExpiresAt = now }, etag);
    }

    private async Task RenewInBackgroundAsync()
    {
        try
        {
            while (!_lost)
            {
                await Task.Delay(Duration / 3, _stop.Token);
                await RenewAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Released.
        }
        catch (Exception)
        {
            // A store failure while renewing: the lease may run out, so behave as if it had.
            _lost = true;
        }
    }

    /// <summary>The stored lease.</summary>
    private sealed record LeaseDocument
    {
        public string Id { get; init; } = DocumentId;

        public required string Destination { get; init; }

        /// <summary>Who holds it; null when released.</summary>
        public string? Holder { get; init; }

        public required DateTimeOffset AcquiredAt { get; init; }

        public required DateTimeOffset ExpiresAt { get; init; }
    }
}
