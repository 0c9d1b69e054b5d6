namespace CustomerValue.Storage.Documents;

/// <summary>
/// A store that passes every call to another one. Decorators (counting, fault injection, test hooks, a different
/// scan) derive from it and override only the calls they change.
/// </summary>
public abstract class DelegatingDocumentStore(IDocumentStore inner) : IDocumentStore
{
    /// <summary>The store calls are passed to.</summary>
    protected IDocumentStore Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <inheritdoc/>
    public virtual Task InitializeAsync(CancellationToken cancellationToken = default) => Inner.InitializeAsync(cancellationToken);

    /// <inheritdoc/>
    public virtual Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        Inner.ReadAsync<T>(container, id, partitionKey, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        Inner.CreateAsync(container, id, partitionKey, body, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
        Inner.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        Inner.UpsertAsync(container, id, partitionKey, body, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(container, id, partitionKey, cancellationToken);

    /// <inheritdoc/>
    public virtual IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, CancellationToken cancellationToken = default) =>
        Inner.ScanAsync<T>(container, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        Inner.ReadChangeFeedAsync<T>(container, continuation, maxItems, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        Inner.ReadPartitionChangeFeedAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<DocumentPage<T>> ReadPartitionAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        Inner.ReadPartitionAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        Inner.WriteAllAsync(writes, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default) =>
        Inner.ReadManyAsync<T>(container, addresses, cancellationToken);

    /// <inheritdoc/>
    public virtual bool WritesAllOrNone => Inner.WritesAllOrNone;

    /// <inheritdoc/>
    public virtual Task<IReadOnlyList<StoredDocument<T>>> QueryArrayContainsAsync<T>(string container, string property, string value, string? afterId, int maxItems,
        CancellationToken cancellationToken = default) =>
        Inner.QueryArrayContainsAsync<T>(container, property, value, afterId, maxItems, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default) =>
        Inner.FindByIdAsync<T>(container, id, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<IReadOnlyList<DocumentStamp>> FindStampsAsync(string container, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        Inner.FindStampsAsync(container, ids, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<StampMatches> MatchStampsAsync(string container, IReadOnlyList<string> ids, IReadOnlyList<string> stamps, CancellationToken cancellationToken = default) =>
        Inner.MatchStampsAsync(container, ids, stamps, cancellationToken);
}
