using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// Writes one page of a run's changed profiles. Each write replaces the version the run scanned (its ETag checked), so a
/// profile that ingestion changed since is never overwritten: that one is re-read and the decision applied to its new
/// version (<see cref="ProfileWriteBack"/>). Every write stands alone: none needs the others, so none waits for them or
/// is undone with them. A store that commits concurrent writes together (the embedded store) gets the whole page at once
/// and commits it in a few transactions; other stores (Cosmos DB) get up to <see cref="Parallelism"/> point writes in
/// flight, which bulk mode packs.
/// </summary>
internal static class PageWriteBack
{
    /// <summary>Writes in flight on stores that do not commit concurrent writes together.</summary>
    public const int Parallelism = 128;

    /// <summary>Writes the page; returns how many profiles were written.</summary>
    public static async Task<int> WriteAsync(IDocumentStore store, IReadOnlyList<ProfileWrite> writes, string runId, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return 0;
        }

        if (store.WritesAllOrNone)
        {
            // Submitted all at once: the embedded store's group commit applies them in transactions of a few hundred, each
            // write with its own ETag check. Sets of writes (WriteAllAsync) were used before; each set's savepoint made
            // SQLite copy every page the set touched into its statement journal, for an all-or-none the run never needed.
            var done = await Task.WhenAll(writes.Select(w => WriteOneAsync(store, w, runId, cancellationToken)));
            return done.Count(applied => applied);
        }

        var count = 0;
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (w, ct) =>
        {
            if (await WriteOneAsync(store, w, runId, ct))
            {
                Interlocked.Increment(ref count);
            }
        });
        return count;
    }

    /// <summary>Replaces the scanned version; when it changed or went since, applies the decision to the current one.</summary>
    private static async Task<bool> WriteOneAsync(IDocumentStore store, ProfileWrite w, string runId, CancellationToken cancellationToken)
    {
        try
        {
            await store.ReplaceAsync(ContainerNames.Profiles, w.Id, w.Id, w.Body, w.ETag, cancellationToken);
            return true;
        }
        catch (Exception ex) when (IsRace(ex))
        {
            return await ReapplyAsync(store, w, runId, cancellationToken);
        }
    }

    private static bool IsRace(Exception ex) => ex is DocumentPreconditionFailedException or DocumentNotFoundException;

    /// <summary>Re-reads the profile and applies the decision to its current version (nothing when it is gone, merged or erased).</summary>
    private static async Task<bool> ReapplyAsync(IDocumentStore store, ProfileWrite w, string runId, CancellationToken cancellationToken)
    {
        var applied = false;
        await store.UpdateAsync<RawJson>(ContainerNames.Profiles, w.Id, w.Id, current =>
        {
            var updated = ProfileWriteBack.Apply(current, w.Segments, w.Matches, w.Score, runId);
            applied = updated is not null;
            return updated;
        }, cancellationToken);
        return applied;
    }
}

/// <summary>One profile to write back: the new body built on the scanned version, that version's ETag, and the decision.</summary>
/// <param name="Id">The profile id (also its partition key).</param>
/// <param name="Body">The scanned document with the run's fields replaced.</param>
/// <param name="ETag">The ETag of the scanned version.</param>
/// <param name="Segments">The segment names, sorted.</param>
/// <param name="Matches">Every segment with its reason.</param>
/// <param name="Score">The run's score.</param>
internal sealed record ProfileWrite(string Id, RawJson Body, string ETag, string[] Segments, IReadOnlyList<SegmentMatch> Matches, CustomerValueScore Score);
