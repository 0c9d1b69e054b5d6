namespace CustomerValue.Storage.Documents;

/// <summary>
/// A document store with Cosmos DB (NoSQL API) semantics: documents addressed by container, id and partition
/// key; optimistic concurrency through ETags; and a change feed that yields the latest version of every changed
/// document in change order. Implemented by the embedded SQLite store and by Cosmos DB.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Makes sure the containers exist.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Point read; null when the document does not exist.</summary>
    Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default);

    /// <summary>Creates a document; throws <see cref="DocumentConflictException"/> when it already exists.</summary>
    Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the version identified by <paramref name="ifMatch"/>; throws <see cref="DocumentPreconditionFailedException"/>
    /// when the document changed since, <see cref="DocumentNotFoundException"/> when it is gone.
    /// </summary>
    Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Creates or overwrites unconditionally.</summary>
    Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default);

    /// <summary>Deletes a document; returns false when there was none.</summary>
    Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default);

    /// <summary>Reads every document of a container (the recompute's scan), in pages, without holding locks.</summary>
    IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the documents of one partition in pages of at most <paramref name="maxItems"/> (a single-partition query in
    /// Cosmos DB), in an order the store chooses but keeps across pages. <paramref name="continuation"/> is null for the
    /// first page, else the continuation of the page before.
    /// </summary>
    async Task<DocumentPage<T>> ReadPartitionAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        // Fallback for decorators and test doubles: a scan filtered by partition; both stores answer with a real query.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        var skip = continuation is null ? 0 : int.Parse(continuation, System.Globalization.CultureInfo.InvariantCulture);
        var page = new List<StoredDocument<T>>();
        var seen = 0;
        await foreach (var document in ScanAsync<T>(container, cancellationToken))
        {
            if (document.PartitionKey == partitionKey && seen++ >= skip)
            {
                page.Add(document);
                if (page.Count == maxItems)
                {
                    return new DocumentPage<T>(page, (skip + maxItems).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return new DocumentPage<T>(page, null);
    }

    /// <summary>
    /// Reads many documents of one container at once (one query on the embedded store, Cosmos DB's ReadMany); those
    /// that do not exist are left out. The order of the answer is the store's.
    /// </summary>
    async Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var found = await Task.WhenAll(addresses.Select(a => ReadAsync<T>(container, a.Id, a.PartitionKey, cancellationToken)));
        return [.. found.OfType<StoredDocument<T>>()];
    }

    /// <summary>True when <see cref="WriteAllAsync"/> applies its writes all or none (one transaction).</summary>
    bool WritesAllOrNone => false;

    /// <summary>
    /// Applies writes as one unit where the store can: the embedded store commits them in one transaction, all or none
    /// (a refused create or replace throws as the single call would, and nothing is written). Cosmos DB has no transaction
    /// across containers: it applies them in the order given and stops at the first refusal, so callers put the write
    /// that guards the others (the profile's ETag check) first.
    /// </summary>
    /// <returns>The new ETag of each write, in order (null for deletes).</returns>
    async Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var etags = new string?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            if (w.Kind == DocumentWriteKind.Delete)
            {
                await DeleteAsync(w.Container, w.Id, w.PartitionKey, cancellationToken);
                continue;
            }

            etags[i] = w.Kind switch
            {
                DocumentWriteKind.Create => (await CreateAsync(w.Container, w.Id, w.PartitionKey, w.Body, cancellationToken)).ETag,
                DocumentWriteKind.Replace => (await ReplaceAsync(w.Container, w.Id, w.PartitionKey, w.Body, w.IfMatch!, cancellationToken)).ETag,
                _ => (await UpsertAsync(w.Container, w.Id, w.PartitionKey, w.Body, cancellationToken)).ETag,
            };
        }

        return etags;
    }

    /// <summary>
    /// Reads changes after <paramref name="continuation"/> (null: from the beginning). Each changed document appears
    /// once, in its latest version, ordered by its last change. Deletes are not reported (as in Cosmos DB's
    /// latest-version mode).
    /// </summary>
    Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>
    /// The change feed of one partition: as <see cref="ReadChangeFeedAsync{T}"/>, but only documents whose partition
    /// key is <paramref name="partitionKey"/>, from a position of that partition's own feed (a continuation issued by
    /// this method for the same container and partition; null: from the beginning). How a destination reads its queue
    /// without reading every other destination's documents (Cosmos DB: a feed range of one partition key; the embedded
    /// store: the container's feed filtered before any body is read).
    /// </summary>
    async Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        // Fallback for decorators and test doubles: the container's feed, filtered; both stores answer with their own.
        ArgumentNullException.ThrowIfNull(partitionKey);
        var page = await ReadChangeFeedAsync<T>(container, continuation, maxItems, cancellationToken);
        return new ChangeFeedPage<T>([.. page.Documents.Where(d => d.PartitionKey == partitionKey)], page.Continuation);
    }

    /// <summary>
    /// Documents whose top-level string array <paramref name="property"/> contains <paramref name="value"/>, in id order,
    /// starting after the id <paramref name="afterId"/> (null: from the first), at most <paramref name="maxItems"/>. Keyset
    /// paging: pass the last id of a page to get the next. Meant for containers whose ids are unique across partitions
    /// (profiles); only the arrays of <see cref="IndexedArrays"/> may be searched, so the query is an index lookup on both
    /// stores.
    /// </summary>
    /// <exception cref="ArgumentException">The property is not an indexed array of the container.</exception>
    Task<IReadOnlyList<StoredDocument<T>>> QueryArrayContainsAsync<T>(string container, string property, string value, string? afterId, int maxItems,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Every document of the container with this id, in whichever partitions hold one (usually one or none), for
    /// containers of <see cref="IdLookups"/> only, so the lookup is an index query on both stores.
    /// </summary>
    /// <exception cref="ArgumentException">The container is not one of <see cref="IdLookups"/>.</exception>
    Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stamps (<see cref="DocumentWrite.Stamp"/>) of the documents with these ids, in whichever partitions hold them,
    /// without reading their bodies: one index query for many ids, for containers of <see cref="IdLookups"/> only.
    /// Documents whose last write left no stamp are not listed. A store that keeps no stamps (the default; Cosmos DB
    /// today) finds none, so callers must treat a missing stamp as "unknown" and take their full path.
    /// </summary>
    /// <exception cref="ArgumentException">The container is not one of <see cref="IdLookups"/>.</exception>
    Task<IReadOnlyList<DocumentStamp>> FindStampsAsync(string container, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        IdLookups.IsSearchable(container)
            ? Task.FromResult<IReadOnlyList<DocumentStamp>>([])
            : throw new ArgumentException($"{container} is not searchable by id (IdLookups).", nameof(container));

    /// <summary>
    /// Whether the documents with these ids carry these stamps, pair by pair (<paramref name="ids"/>[i] with
    /// <paramref name="stamps"/>[i]), in whichever partitions hold them, without reading their bodies: what a caller of
    /// <see cref="FindStampsAsync"/> would compute, answered by the store where it can be cheaper (the embedded store
    /// compares the stamps in its query and returns the positions that match, with no strings for them). A pair whose
    /// id has several documents matches when one of them carries the stamp.
    /// </summary>
    /// <exception cref="ArgumentException">The container is not one of <see cref="IdLookups"/>, or the lists differ in length.</exception>
    async Task<StampMatches> MatchStampsAsync(string container, IReadOnlyList<string> ids, IReadOnlyList<string> stamps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(stamps);
        if (ids.Count != stamps.Count)
        {
            throw new ArgumentException($"{ids.Count} ids but {stamps.Count} stamps: one stamp per id.", nameof(stamps));
        }

        var found = await FindStampsAsync(container, [.. ids.Distinct(StringComparer.Ordinal)], cancellationToken);
        return StampMatching.Match(ids, stamps, found);
    }
}
