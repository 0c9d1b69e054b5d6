using System.Runtime.CompilerServices;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Testing;

/// <summary>
/// The real store, plus a hook that runs once a scan has returned its last document: lets a test change the data
/// between a recompute's scan and its writes, as a concurrent ingestion would.
/// </summary>
public sealed class ScanHookStore(IDocumentStore inner, Func<Task> afterScan) : DelegatingDocumentStore(inner)
{
    public override async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var document in Inner.ScanAsync<T>(container, cancellationToken))
        {
            yield return document;
        }

        await afterScan();
    }
}
