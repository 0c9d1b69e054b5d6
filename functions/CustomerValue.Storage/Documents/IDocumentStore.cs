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
    /// Reads changes after <paramref name="continuation"/> (null: from the beginning). Each changed document appears
    /// once, in its latest version, ordered by its last change. Deletes are not reported (as in Cosmos DB's
    /// latest-version mode).
    /// </summary>
    Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default);

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
}
