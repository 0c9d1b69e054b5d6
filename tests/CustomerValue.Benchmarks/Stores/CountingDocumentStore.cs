using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// An <see cref="IDocumentStore"/> that counts what its callers ask of the store it wraps, per container: point
/// reads (found or not), creates, replaces, upserts, deletes, writes the store refused (409 conflict, 412
/// precondition failed, 404 on a replace), scans and the documents they yielded, change-feed reads. It counts the
/// same way on every store, so the embedded store and Cosmos DB are compared on what the app does, not on what each
/// store's own statistics happen to see. It also notes when the first point operation started and the last one
/// ended, and when a scan started and finished, so that a phase can be split into its scan and its writes.
/// </summary>
internal sealed class CountingDocumentStore(IDocumentStore inner) : DelegatingDocumentStore(inner)
{
    private readonly ConcurrentDictionary<string, Counters> _containers = new(StringComparer.Ordinal);

    /// <summary>What has been counted so far.</summary>
    public StoreOperations Snapshot() =>
        new(_containers.ToDictionary(p => p.Key, p => p.Value.Snapshot(), StringComparer.Ordinal));

    /// <summary>Documents scanned so far in a container (for progress lines while a scan runs).</summary>
    public long Scanned(string container) => _containers.TryGetValue(container, out var c) ? Interlocked.Read(ref c.Scanned) : 0;

    /// <summary>Creates, replaces and upserts so far in a container (for progress lines).</summary>
    public long Written(string container) =>
        _containers.TryGetValue(container, out var c) ? Interlocked.Read(ref c.Creates) + Interlocked.Read(ref c.Replaces) + Interlocked.Read(ref c.Upserts) : 0;

    /// <inheritdoc />
    public override async Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        var counters = Of(container);
        counters.Started();
        var document = await Inner.ReadAsync<T>(container, id, partitionKey, cancellationToken);
        Interlocked.Increment(ref document is null ? ref counters.ReadMisses : ref counters.Reads);
        counters.Ended();
        return document;
    }

    /// <inheritdoc />
    public override Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        WriteAsync(container, c => ref c.Creates, () => Inner.CreateAsync(container, id, partitionKey, body, cancellationToken));

    /// <inheritdoc />
    public override Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
        WriteAsync(container, c => ref c.Replaces, () => Inner.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken));

    /// <inheritdoc />
    public override Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        WriteAsync(container, c => ref c.Upserts, () => Inner.UpsertAsync(container, id, partitionKey, body, cancellationToken));

    /// <inheritdoc />
    public override async Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        var counters = Of(container);
        counters.Started();
        var deleted = await Inner.DeleteAsync(container, id, partitionKey, cancellationToken);
        Interlocked.Increment(ref deleted ? ref counters.Deletes : ref counters.DeleteMisses);
        counters.Ended();
        return deleted;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var counters = Of(container);
        Interlocked.Increment(ref counters.Scans);
        Interlocked.CompareExchange(ref counters.ScanStarted, Stopwatch.GetTimestamp(), 0);
        await foreach (var document in Inner.ScanAsync<T>(container, cancellationToken))
        {
            Interlocked.Increment(ref counters.Scanned);
            yield return document;
        }

        // The scan's time includes what the caller does with each document between two reads: it is the rate at
        // which the caller got through the container, which is what a recompute's scan rate means.
        Interlocked.Exchange(ref counters.ScanEnded, Stopwatch.GetTimestamp());
    }

    /// <inheritdoc />
    public override async Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        var counters = Of(container);
        var page = await Inner.ReadChangeFeedAsync<T>(container, continuation, maxItems, cancellationToken);
        Interlocked.Increment(ref counters.ChangeFeedReads);
        Interlocked.Add(ref counters.ChangeFeedDocuments, page.Documents.Count);
        return page;
    }

    private async Task<StoredDocument<T>> WriteAsync<T>(string container, CounterOf counter, Func<Task<StoredDocument<T>>> write)
    {
        var counters = Of(container);
        counters.Started();
        try
        {
            var written = await write();
            Interlocked.Increment(ref counter(counters));
            return written;
        }
        catch (DocumentConflictException)
        {
            Interlocked.Increment(ref counters.Conflicts);
            throw;
        }
        catch (DocumentPreconditionFailedException)
        {
            Interlocked.Increment(ref counters.PreconditionFailures);
            throw;
        }
        catch (DocumentNotFoundException)
        {
            Interlocked.Increment(ref counters.WriteNotFound);
            throw;
        }
        finally
        {
            counters.Ended();
        }
    }

    private Counters Of(string container) => _containers.GetOrAdd(container, static _ => new Counters());

    private delegate ref long CounterOf(Counters counters);

    /// <summary>Mutable counters of one container, updated with <see cref="Interlocked"/> by concurrent callers.</summary>
    private sealed class Counters
    {
        public long Reads;
        public long ReadMisses;
        public long Creates;
        public long Replaces;
        public long Upserts;
        public long Deletes;
        public long DeleteMisses;
        public long Conflicts;
        public long PreconditionFailures;
        public long WriteNotFound;
        public long Scans;
        public long Scanned;
        public long ChangeFeedReads;
        public long ChangeFeedDocuments;
        public long FirstStarted;
        public long LastEnded;
        public long ScanStarted;
        public long ScanEnded;

        public void Started() => Interlocked.CompareExchange(ref FirstStarted, Stopwatch.GetTimestamp(), 0);

        public void Ended()
        {
            var now = Stopwatch.GetTimestamp();
            long seen;
            while ((seen = Interlocked.Read(ref LastEnded)) < now && Interlocked.CompareExchange(ref LastEnded, now, seen) != seen)
            {
            }
        }

        public ContainerOperations Snapshot() => new(
            Interlocked.Read(ref Reads), Interlocked.Read(ref ReadMisses), Interlocked.Read(ref Creates), Interlocked.Read(ref Replaces),
            Interlocked.Read(ref Upserts), Interlocked.Read(ref Deletes), Interlocked.Read(ref DeleteMisses), Interlocked.Read(ref Conflicts),
            Interlocked.Read(ref PreconditionFailures), Interlocked.Read(ref WriteNotFound), Interlocked.Read(ref Scans), Interlocked.Read(ref Scanned),
            Interlocked.Read(ref ChangeFeedReads), Interlocked.Read(ref ChangeFeedDocuments),
            Interlocked.Read(ref FirstStarted), Interlocked.Read(ref LastEnded), Interlocked.Read(ref ScanStarted), Interlocked.Read(ref ScanEnded));
    }
}
