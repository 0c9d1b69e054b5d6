using System.Runtime.CompilerServices;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Pipeline.Tests.Support;

/// <summary>
/// The real store, plus a hook that runs once a scan has returned its last document: lets a test change the data
/// between a recompute's scan and its writes, as a concurrent ingestion would.
/// </summary>
public sealed class ScanHookStore(IDocumentStore inner, Func<Task> afterScan) : IDocumentStore
{
    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        inner.ReadAsync<T>(container, id, partitionKey, cancellationToken);

    public Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(container, id, partitionKey, body, cancellationToken);

    public Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
        inner.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken);

    public Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        inner.UpsertAsync(container, id, partitionKey, body, cancellationToken);

    public Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(container, id, partitionKey, cancellationToken);

    public async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var document in inner.ScanAsync<T>(container, cancellationToken))
        {
            yield return document;
        }

        await afterScan();
    }

    public Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        inner.ReadChangeFeedAsync<T>(container, continuation, maxItems, cancellationToken);
}
