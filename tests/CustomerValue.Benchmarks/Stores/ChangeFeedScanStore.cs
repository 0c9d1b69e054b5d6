using System.Runtime.CompilerServices;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// Passes everything to the store it wraps except <see cref="ScanAsync{T}"/>, which it serves from the container's
/// change feed read from the beginning (latest version: every document once) in pages of the same size as the
/// store's query pages, until a page comes back empty.
/// <para>
/// Why: the Cosmos-API server of the tests cannot answer the store's scan query for a large container. Its query
/// engine (@zeit/cosmosdb-query) builds every page's input with <c>reduce((acc, c) =&gt; [...acc, c])</c>, quadratic
/// in the container's size: about 2 s per page at 20,000 profiles and 75 s per page at 100,000 — more than the bench
/// lets one request take (60 s), and hours for a full scan. Its change feed costs a linear filter per page instead. On
/// Cosmos DB both are pages of the same documents read in sequence; the stand-in is used only against that server
/// (or when asked for with <c>--cosmos-scan change-feed</c>), and the table says so.
/// </para>
/// </summary>
internal sealed class ChangeFeedScanStore(IDocumentStore inner, int pageSize) : DelegatingDocumentStore(inner)
{
    /// <inheritdoc />
    public override async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        while (true)
        {
            var page = await Inner.ReadChangeFeedAsync<T>(container, continuation, pageSize, cancellationToken);
            if (page.Documents.Count == 0)
            {
                yield break;
            }

            foreach (var document in page.Documents)
            {
                yield return document;
            }

            continuation = page.Continuation;
        }
    }
}
