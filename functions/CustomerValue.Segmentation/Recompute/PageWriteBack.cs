using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// Writes one page of a run's changed profiles. Each write replaces the version the run scanned (its ETag checked), so a
/// profile that ingestion changed since is never overwritten: that one is re-read and the decision applied to its new
/// version (<see cref="ProfileWriteBack"/>). A store that writes all or none (the embedded store) takes the page as sets of
/// <see cref="SetSize"/> committed in one transaction; a set with a profile changed since the scan goes the re-read way.
/// Other stores (Cosmos DB) get up to <see cref="Parallelism"/> point writes in flight, which bulk mode packs.
/// </summary>
internal static class PageWriteBack
{
    /// <summary>Writes in flight on stores without all-or-none sets.</summary>
    public const int Parallelism = 128;

    /// <summary>Writes per all-or-none set on stores that have them.</summary>
    public const int SetSize = 50;

    /// <summary>Writes the page; returns how many profiles were written.</summary>
    public static async Task<int> WriteAsync(IDocumentStore store, IReadOnlyList<ProfileWrite> writes, string runId, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return 0;
        }

        if (store.WritesAllOrNone)
        {
            // Sets of a few dozen, all submitted at once: the embedded store commits them together in one transaction, while
            // each set's savepoint stays small (SQLite's statement journal inside a long savepoint costs more with every
            // write it holds). A set refused because one of its profiles changed since the scan wrote nothing: its
            // profiles are written on their current versions.
            var sets = writes.Chunk(SetSize).ToList();
            var done = await Task.WhenAll(sets.Select(async set =>
            {
                try
                {
                    await store.WriteAllAsync([.. set.Select(w => DocumentWrite.Replace(ContainerNames.Profiles, w.Id, w.Id, w.Body, w.ETag))], cancellationToken);
                    return set.Length;
                }
                catch (Exception ex) when (IsRace(ex))
                {
                    var written = 0;
                    foreach (var w in set)
                    {
                        written += await ReapplyAsync(store, w, runId, cancellationToken) ? 1 : 0;
                    }

                    return written;
                }
            }));
            return done.Sum();
        }

        var count = 0;
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (w, ct) =>
        {
            bool applied;
            try
            {
                await store.ReplaceAsync(ContainerNames.Profiles, w.Id, w.Id, w.Body, w.ETag, ct);
                applied = true;
            }
            catch (Exception ex) when (IsRace(ex))
            {
                applied = await ReapplyAsync(store, w, runId, ct);
            }

            if (applied)
            {
                Interlocked.Increment(ref count);
            }
        });
        return count;
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
