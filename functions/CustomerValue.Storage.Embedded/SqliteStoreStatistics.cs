using System.Collections.Concurrent;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// What the embedded store has done since it was opened: operation counts for benchmarks and diagnostics. Take a
/// snapshot before and after a piece of work and subtract (<see cref="Since"/>).
/// </summary>
/// <param name="Reads">Point reads (found or not).</param>
/// <param name="ReadMisses">Point reads that found nothing.</param>
/// <param name="Writes">Creates, replaces and upserts that were written.</param>
/// <param name="FailedWrites">Writes refused by a conflict, a stale ETag or a missing document.</param>
/// <param name="Deletes">Deletes (found or not).</param>
/// <param name="Queries">Scan pages and change-feed pages.</param>
/// <param name="Transactions">Write transactions committed (one commit may carry several writes).</param>
/// <param name="ReadsByContainer">Point reads per container.</param>
/// <param name="WritesByContainer">Successful writes per container.</param>
/// <param name="Checkpoints">Checkpoints of the write-ahead log run beside the writer (<see cref="SqliteCheckpointer"/>).</param>
/// <param name="LargestLogPages">The most pages (4 KB each) the write-ahead log held at one of those checkpoints since the store was opened (not a difference in <see cref="Since"/>).</param>
public sealed record SqliteStoreStatistics(
    long Reads,
    long ReadMisses,
    long Writes,
    long FailedWrites,
    long Deletes,
    long Queries,
    long Transactions,
    IReadOnlyDictionary<string, long> ReadsByContainer,
    IReadOnlyDictionary<string, long> WritesByContainer,
    long Checkpoints = 0,
    long LargestLogPages = 0)
{
    /// <summary>The operations between <paramref name="earlier"/> and this snapshot.</summary>
    public SqliteStoreStatistics Since(SqliteStoreStatistics earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new SqliteStoreStatistics(
            Reads - earlier.Reads,
            ReadMisses - earlier.ReadMisses,
            Writes - earlier.Writes,
            FailedWrites - earlier.FailedWrites,
            Deletes - earlier.Deletes,
            Queries - earlier.Queries,
            Transactions - earlier.Transactions,
            Subtract(ReadsByContainer, earlier.ReadsByContainer),
            Subtract(WritesByContainer, earlier.WritesByContainer),
            Checkpoints - earlier.Checkpoints,
            LargestLogPages);
    }

    private static Dictionary<string, long> Subtract(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long> before) =>
        now.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);
}

/// <summary>The live counters behind <see cref="SqliteStoreStatistics"/>: lock-free increments on the hot path.</summary>
internal sealed class SqliteStoreCounters
{
    private readonly ConcurrentDictionary<string, long[]> _byContainer = new(StringComparer.Ordinal);
    private long _reads, _readMisses, _writes, _failedWrites, _deletes, _queries, _transactions, _checkpoints, _largestLogPages;

    public void Read(string container, bool found)
    {
        Interlocked.Increment(ref _reads);
        if (!found)
        {
            Interlocked.Increment(ref _readMisses);
        }

        Interlocked.Increment(ref For(container)[0]);
    }

    public void Wrote(string container)
    {
        Interlocked.Increment(ref _writes);
        Interlocked.Increment(ref For(container)[1]);
    }

    public void WriteFailed() => Interlocked.Increment(ref _failedWrites);

    public void Deleted() => Interlocked.Increment(ref _deletes);

    public void Queried() => Interlocked.Increment(ref _queries);

    public void Committed() => Interlocked.Increment(ref _transactions);

    public void Checkpointed(long logPages)
    {
        Interlocked.Increment(ref _checkpoints);
        long largest;
        while (logPages > (largest = Volatile.Read(ref _largestLogPages)) && Interlocked.CompareExchange(ref _largestLogPages, logPages, largest) != largest)
        {
        }
    }

    public SqliteStoreStatistics Snapshot() => new(
        Volatile.Read(ref _reads),
        Volatile.Read(ref _readMisses),
        Volatile.Read(ref _writes),
        Volatile.Read(ref _failedWrites),
        Volatile.Read(ref _deletes),
        Volatile.Read(ref _queries),
        Volatile.Read(ref _transactions),
        _byContainer.ToDictionary(p => p.Key, p => Volatile.Read(ref p.Value[0]), StringComparer.Ordinal),
        _byContainer.ToDictionary(p => p.Key, p => Volatile.Read(ref p.Value[1]), StringComparer.Ordinal),
        Volatile.Read(ref _checkpoints),
        Volatile.Read(ref _largestLogPages));

    private long[] For(string container) => _byContainer.GetOrAdd(container, static _ => new long[2]);
}
