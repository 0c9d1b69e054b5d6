using System.Diagnostics;
using System.Text.Json;
using CustomerValue.Application.PosImports;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>
/// Follows, from outside, a POS import that the server runs: its report in the <c>imports</c> container is the checkpoint
/// written after every batch, read from the server's store file by a second reader (SQLite's WAL lets readers of another
/// process run beside the writer; each read is one short page of that small container).
/// </summary>
internal sealed class ImportProgress(string databasePath, string exportName) : IDisposable
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(500);
    private readonly SqliteDocumentStore _store = new(databasePath);

    /// <summary>The import's latest report, or null before its first one.</summary>
    public async Task<PosImportReport?> ReadAsync(CancellationToken cancellationToken)
    {
        // Quarantine chunks share the container (in the report's partition); the report is the document whose id is its partition.
        await foreach (var document in _store.ScanAsync<JsonElement>(ContainerNames.Imports, cancellationToken))
        {
            if (document.Id == document.PartitionKey && document.Body.TryGetProperty("exportName", out var name) && name.GetString() == exportName)
            {
                return document.Body.Deserialize<PosImportReport>(DocumentJson.Options);
            }
        }

        return null;
    }

    /// <summary>Waits until the import has checkpointed its first batch; false when it has not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForFirstBatchAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await ReadAsync(cancellationToken) is { RecordsDone: > 0 })
            {
                return true;
            }

            await Task.Delay(SampleEvery, cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Samples the checkpoint until <paramref name="during"/> ends. The rate is taken between the first and the last
    /// checkpoint seen to move in that time (each seen within <see cref="SampleEvery"/> of being written), so the
    /// checkpoints' granularity (one per batch) does not bias it.
    /// </summary>
    public async Task<ImportRate> FollowAsync(Task during, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(during);
        var clock = Stopwatch.StartNew();
        var changes = new List<(TimeSpan At, long Records)>();
        PosImportReport? latest = null;
        while (!during.IsCompleted)
        {
            latest = await ReadAsync(cancellationToken) ?? latest;
            if (latest is not null && (changes.Count == 0 || changes[^1].Records != latest.RecordsDone))
            {
                changes.Add((clock.Elapsed, latest.RecordsDone));
            }

            await Task.WhenAny(during, Task.Delay(SampleEvery, cancellationToken));
        }

        latest = await ReadAsync(cancellationToken) ?? latest;
        var moved = changes.Count > 1 ? changes[^1].Records - changes[0].Records : 0;
        return changes.Count >= 3
            ? new ImportRate((changes[^1].Records - changes[1].Records) / (changes[^1].At - changes[1].At).TotalSeconds, moved, Exact: true, latest)
            : new ImportRate(moved / clock.Elapsed.TotalSeconds, moved, Exact: false, latest);
    }

    /// <inheritdoc/>
    public void Dispose() => _store.Dispose();
}

/// <summary>How fast an import went while something else ran.</summary>
/// <param name="RowsPerSecond">Records per second between the checkpoints seen to move, or, with fewer than two of them, the records checkpointed over the whole time.</param>
/// <param name="Records">Records the checkpoints moved by.</param>
/// <param name="Exact">False when the rate is the coarse one (off by up to a batch).</param>
/// <param name="Latest">The report at the end.</param>
internal sealed record ImportRate(double RowsPerSecond, long Records, bool Exact, PosImportReport? Latest);
