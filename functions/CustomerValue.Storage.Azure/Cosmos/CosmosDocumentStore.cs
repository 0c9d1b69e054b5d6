using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Identity;
using CustomerValue.Storage.Documents;
using Microsoft.Azure.Cosmos;

namespace CustomerValue.Storage.Azure.Cosmos;

/// <summary>
/// <see cref="IDocumentStore"/> on Azure Cosmos DB for NoSQL (README.md beside this file explains the containers,
/// partition keys and request-unit costs).
/// <para>
/// A stored document is the body serialized with <see cref="DocumentJson.Options"/> plus <c>id</c> and the partition
/// key value in <c>pk</c> (the containers the store creates are partitioned on <c>/pk</c>, except <c>leases</c>,
/// partitioned on <c>/id</c> as the Cosmos DB trigger requires). Reads strip Cosmos DB's system properties
/// (<c>_rid</c>, <c>_self</c>, <c>_etag</c>, <c>_attachments</c>, <c>_ts</c>, <c>_lsn</c>) and <c>pk</c> before
/// deserializing, so a body reads the same as from the embedded store (plus <c>id</c>).
/// </para>
/// <para>
/// Every call is a stream API call: no exceptions are thrown on 404/409/412 (they are mapped to the store's own
/// results and exceptions), the SDK retries 429s after the server's retry-after (see
/// <see cref="CosmosStoreOptions.MaxRetryAttemptsOnRateLimitedRequests"/>), and writes ask for no response body
/// (the ETag comes back in a header).
/// </para>
/// </summary>
public sealed class CosmosDocumentStore : IDocumentStore, IDisposable
{
    /// <summary>The property that carries the partition key value.</summary>
    public const string PartitionKeyProperty = "pk";

    private static readonly QueryDefinition ScanQuery = new("SELECT * FROM c");

    private static readonly ItemRequestOptions WriteOptions = new() { EnableContentResponseOnWrite = false };

    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal)
    {
        "_rid", "_self", "_etag", "_attachments", "_ts", "_lsn",
    };

    private readonly CosmosClient _client;
    private readonly bool _ownsClient;
    private readonly CosmosStoreOptions _options;
    private readonly ConcurrentDictionary<string, Container> _containers = new(StringComparer.Ordinal);

    /// <summary>Creates a store with its own client (dispose the store to dispose it).</summary>
    public CosmosDocumentStore(CosmosStoreOptions options)
        : this(CreateClient(options), options, ownsClient: true)
    {
    }

    /// <summary>Creates a store on a shared client (one <see cref="CosmosClient"/> per account and process).</summary>
    public CosmosDocumentStore(CosmosClient client, CosmosStoreOptions options)
        : this(client, options, ownsClient: false)
    {
    }

    private CosmosDocumentStore(CosmosClient client, CosmosStoreOptions options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabaseName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ScanPageSize);
        _client = client;
        _options = options;
        _ownsClient = ownsClient;
        Database = client.GetDatabase(options.DatabaseName);
    }

    /// <summary>The client (for the change feed processor and diagnostics).</summary>
    public CosmosClient Client => _client;

    /// <summary>The database of the store.</summary>
    public Database Database { get; }

    /// <summary>The partition key path a container is created with: <c>/id</c> for leases (the trigger's requirement), <c>/pk</c> otherwise.</summary>
    public static string PartitionKeyPathOf(string container) =>
        string.Equals(container, ContainerNames.Leases, StringComparison.Ordinal) ? "/id" : "/" + PartitionKeyProperty;

    /// <summary>The container properties the store creates (partition key path, and for app containers an indexing policy that indexes only <c>pk</c>).</summary>
    public static ContainerProperties ContainerPropertiesOf(string container)
    {
        var properties = new ContainerProperties(container, PartitionKeyPathOf(container));
        if (!string.Equals(container, ContainerNames.Leases, StringComparison.Ordinal))
        {
            // The app reads these containers by id + partition key, by id alone (id is always indexed), the change feed
            // and "SELECT * FROM c"; only the indexed arrays (a profile's segments, for segment members) are queried by
            // value. Every indexed property adds to the charge of each write, so nothing else is indexed.
            properties.IndexingPolicy.IndexingMode = IndexingMode.Consistent;
            properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/pk/?" });
            foreach (var array in IndexedArrays.All.Where(a => a.Container == container))
            {
                properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = $"/{array.Property}/[]/?" });
            }

            properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        }

        return properties;
    }

    /// <summary>Builds the client the options describe (gateway or direct mode, key or token auth, 429 retries, bulk).</summary>
    public static CosmosClient CreateClient(CosmosStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = options.ApplicationName,
            Serializer = new CosmosSystemTextJsonSerializer(DocumentJson.Options),
            ConnectionMode = options.GatewayMode ? ConnectionMode.Gateway : ConnectionMode.Direct,
            LimitToEndpoint = options.LimitToEndpoint,
            AllowBulkExecution = options.AllowBulk,
            MaxRetryAttemptsOnRateLimitedRequests = options.MaxRetryAttemptsOnRateLimitedRequests,
            MaxRetryWaitTimeOnRateLimitedRequests = options.MaxRetryWaitTimeOnRateLimitedRequests,
            EnableContentResponseOnWrite = false,
        };
        if (options.HttpClientFactory is not null)
        {
            clientOptions.HttpClientFactory = options.HttpClientFactory;
        }
        else if (options.TrustedCertificatePath is { } pinned)
        {
            clientOptions.HttpClientFactory = PinnedCertificate.HttpClientFactory(pinned);
        }

        var endpoint = options.Endpoint.ToString();
        return options.Key is not null
            ? new CosmosClient(endpoint, options.Key, clientOptions)
            : new CosmosClient(endpoint, options.Credential ?? new DefaultAzureCredential(), clientOptions);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_options.CreateIfMissing)
        {
            await _client.CreateDatabaseIfNotExistsAsync(_options.DatabaseName, cancellationToken: cancellationToken);
            foreach (var name in ContainerNames.All)
            {
                await Database.CreateContainerIfNotExistsAsync(ContainerPropertiesOf(name), cancellationToken: cancellationToken);
            }

            return;
        }

        // Managed identity: the containers come from infra; check they are there and partitioned as the store expects.
        foreach (var name in ContainerNames.All)
        {
            using var response = await Database.GetContainer(name).ReadContainerStreamAsync(cancellationToken: cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException(
                    $"Cosmos DB container '{_options.DatabaseName}/{name}' does not exist. Deploy infra (infra/modules/cosmos.bicep) or set CreateIfMissing for a development account.");
            }

            response.EnsureSuccessStatusCode();
            using var properties = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            var path = properties.RootElement.TryGetProperty("partitionKey", out var key)
                && key.TryGetProperty("paths", out var paths) && paths.GetArrayLength() == 1
                ? paths[0].GetString()
                : null;
            if (path is not ("/pk" or "/id"))
            {
                throw new InvalidOperationException(
                    $"Cosmos DB container '{_options.DatabaseName}/{name}' is partitioned on '{path}'; the store needs /pk (or /id, where every partition key equals the id).");
            }
        }
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (!IsValidId(id))
        {
            return null; // No such document can exist.
        }

        using var response = await Container(container).ReadItemStreamAsync(id, new PartitionKey(partitionKey), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
        return ToStored<T>(document.RootElement);
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default)
    {
        using var payload = Payload(id, partitionKey, body);
        using var response = await Container(container).CreateItemStreamAsync(payload, new PartitionKey(partitionKey), WriteOptions, cancellationToken);
        return Written(response, container, id, partitionKey, body);
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        using var payload = Payload(id, partitionKey, body);
        var options = new ItemRequestOptions { IfMatchEtag = ifMatch, EnableContentResponseOnWrite = false };
        using var response = await Container(container).ReplaceItemStreamAsync(payload, id, new PartitionKey(partitionKey), options, cancellationToken);
        return Written(response, container, id, partitionKey, body);
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default)
    {
        using var payload = Payload(id, partitionKey, body);
        using var response = await Container(container).UpsertItemStreamAsync(payload, new PartitionKey(partitionKey), WriteOptions, cancellationToken);
        return Written(response, container, id, partitionKey, body);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (!IsValidId(id))
        {
            return false;
        }

        using var response = await Container(container).DeleteItemStreamAsync(id, new PartitionKey(partitionKey), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One cross-partition query, paged by continuation: about 2-3 RU per page of small documents plus a share
        // proportional to the bytes read; never a lock, and writers go on meanwhile.
        var options = new QueryRequestOptions { MaxItemCount = _options.ScanPageSize };
        using var iterator = Container(container).GetItemQueryStreamIterator(ScanQuery, continuationToken: null, options);
        while (iterator.HasMoreResults)
        {
            List<StoredDocument<T>> page;
            using (var response = await iterator.ReadNextAsync(cancellationToken))
            {
                response.EnsureSuccessStatusCode();
                page = await ReadDocumentsAsync<T>(response.Content, cancellationToken);
            }

            foreach (var document in page)
            {
                yield return document;
            }
        }
    }

    /// <inheritdoc />
    public async Task<DocumentPage<T>> ReadPartitionAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        // A single-partition query: its cost grows with the page, not with the container.
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(partitionKey), MaxItemCount = maxItems };
        using var iterator = Container(container).GetItemQueryStreamIterator(ScanQuery, continuation, options);
        if (!iterator.HasMoreResults)
        {
            return new DocumentPage<T>([], null);
        }

        using var response = await iterator.ReadNextAsync(cancellationToken);
        response.EnsureSuccessStatusCode();
        var page = await ReadDocumentsAsync<T>(response.Content, cancellationToken);
        return new DocumentPage<T>(page, response.ContinuationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var items = addresses.Distinct().Where(a => IsValidId(a.Id)).Select(a => (a.Id, new PartitionKey(a.PartitionKey))).ToList();
        if (items.Count == 0)
        {
            return [];
        }

        // ReadMany: point reads grouped by partition, about 1 RU per document found.
        using var response = await Container(container).ReadManyItemsStreamAsync(items, cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
        return await ReadDocumentsAsync<T>(response.Content, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cosmos DB has no transaction across containers. The first write (the caller's guard, e.g. the profile's ETag check)
    /// is applied alone; only when it succeeds are the others sent, concurrently (so a client with bulk execution enabled
    /// packs them into batches per partition). A failure after the guard leaves the earlier writes in place.
    /// </remarks>
    public async Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var etags = new string?[writes.Count];
        if (writes.Count == 0)
        {
            return etags;
        }

        etags[0] = await WriteOneAsync(writes[0], cancellationToken);
        var rest = new Task<string?>[writes.Count - 1];
        for (var i = 1; i < writes.Count; i++)
        {
            rest[i - 1] = WriteOneAsync(writes[i], cancellationToken);
        }

        var done = await Task.WhenAll(rest);
        done.CopyTo(etags, 1);
        return etags;
    }

    private async Task<string?> WriteOneAsync(DocumentWrite write, CancellationToken cancellationToken)
    {
        switch (write.Kind)
        {
            case DocumentWriteKind.Delete:
                await DeleteAsync(write.Container, write.Id, write.PartitionKey, cancellationToken);
                return null;
            case DocumentWriteKind.Create:
                return (await CreateAsync(write.Container, write.Id, write.PartitionKey, write.Body, cancellationToken)).ETag;
            case DocumentWriteKind.Replace:
                return (await ReplaceAsync(write.Container, write.Id, write.PartitionKey, write.Body, write.IfMatch ?? throw new ArgumentException("A replace needs an ETag.", nameof(write)), cancellationToken)).ETag;
            default:
                return (await UpsertAsync(write.Container, write.Id, write.PartitionKey, write.Body, cancellationToken)).ETag;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDocument<T>>> QueryArrayContainsAsync<T>(string container, string property, string value, string? afterId, int maxItems,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        if (!IndexedArrays.IsIndexed(container, property))
        {
            throw new ArgumentException($"{container}.{property} is not an indexed array (IndexedArrays).", nameof(property));
        }

        // ARRAY_CONTAINS is served by the default range index on every path; keyset paging on id keeps each page one
        // short query (no continuation token to carry between requests). The property is a known constant, never input.
        var query = new QueryDefinition($"SELECT TOP @limit * FROM c WHERE ARRAY_CONTAINS(c.{property}, @value) AND c.id > @after ORDER BY c.id")
            .WithParameter("@limit", maxItems).WithParameter("@value", value).WithParameter("@after", afterId ?? string.Empty);
        var documents = new List<StoredDocument<T>>();
        using var iterator = Container(container).GetItemQueryStreamIterator(query, continuationToken: null, new QueryRequestOptions { MaxItemCount = maxItems });
        while (iterator.HasMoreResults && documents.Count < maxItems)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            documents.AddRange(await ReadDocumentsAsync<T>(response.Content, cancellationToken));
        }

        return documents.Count > maxItems ? documents[..maxItems] : documents;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!IdLookups.IsSearchable(container))
        {
            throw new ArgumentException($"{container} is not searchable by id (IdLookups).", nameof(container));
        }

        // A cross-partition query served by the index on id: one request per physical partition, no scan.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.id = @id").WithParameter("@id", id);
        var documents = new List<StoredDocument<T>>();
        using var iterator = Container(container).GetItemQueryStreamIterator(query);
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            documents.AddRange(await ReadDocumentsAsync<T>(response.Content, cancellationToken));
        }

        return documents;
    }

    /// <inheritdoc />
    public Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        ReadFeedAsync<T>(container, null, continuation, maxItems, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The feed range of one partition key: Cosmos DB reads only that logical partition's changes.</remarks>
    public Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        return ReadFeedAsync<T>(container, FeedRange.FromPartitionKey(new PartitionKey(partitionKey)), continuation, maxItems, cancellationToken);
    }

    private async Task<ChangeFeedPage<T>> ReadFeedAsync<T>(string container, FeedRange? range, string? continuation, int maxItems, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        // A continuation carries its feed range, so a partition's position resumes that partition's feed.
        var start = continuation is not null ? ChangeFeedStartFrom.ContinuationToken(continuation)
            : range is null ? ChangeFeedStartFrom.Beginning() : ChangeFeedStartFrom.Beginning(range);
        FeedIterator iterator;
        try
        {
            iterator = Container(container).GetChangeFeedStreamIterator(start, ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = maxItems });
        }
        catch (Exception ex) when (ex is not ArgumentException and not OperationCanceledException)
        {
            throw new ArgumentException("The continuation was not issued by this store.", nameof(continuation), ex);
        }

        using (iterator)
        {
            ResponseMessage response;
            try
            {
                response = await iterator.ReadNextAsync(cancellationToken);
            }
            catch (Exception ex) when (continuation is not null && ex is not OperationCanceledException and not CosmosException)
            {
                throw new ArgumentException("The continuation was not issued by this store.", nameof(continuation), ex);
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.BadRequest && continuation is not null)
                {
                    throw new ArgumentException($"The continuation was not accepted: {response.ErrorMessage}", nameof(continuation));
                }

                var next = response.ContinuationToken ?? continuation
                    ?? throw new InvalidOperationException("The change feed returned no continuation.");
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return new ChangeFeedPage<T>([], next);
                }

                response.EnsureSuccessStatusCode();
                return new ChangeFeedPage<T>(await ReadDocumentsAsync<T>(response.Content, cancellationToken), next);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private Container Container(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _containers.GetOrAdd(name, static (n, database) => database.GetContainer(n), Database);
    }

    /// <summary>Maps a write's status to the store's result or exception.</summary>
    private static StoredDocument<T> Written<T>(ResponseMessage response, string container, string id, string partitionKey, T body)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.Created:
                return new StoredDocument<T>(id, partitionKey, body, response.Headers.ETag
                    ?? throw new InvalidOperationException("Cosmos DB returned no ETag for a write."));
            case HttpStatusCode.Conflict:
                throw new DocumentConflictException(container, id);
            case HttpStatusCode.PreconditionFailed:
                throw new DocumentPreconditionFailedException(container, id);
            case HttpStatusCode.NotFound when response.Headers["x-ms-substatus"] is null or "0":
                throw new DocumentNotFoundException(container, id);
            case HttpStatusCode.BadRequest:
                throw new ArgumentException($"Cosmos DB rejected document '{id}' in '{container}': {response.ErrorMessage}");
            default:
                response.EnsureSuccessStatusCode();
                throw new InvalidOperationException($"Unexpected status {(int)response.StatusCode} writing '{id}' to '{container}'.");
        }
    }

    /// <summary>The stored form of a body: its JSON object with <c>id</c> and <c>pk</c> first.</summary>
    private static MemoryStream Payload<T>(string id, string partitionKey, T body)
    {
        ValidateId(id);
        ArgumentNullException.ThrowIfNull(partitionKey);
        using var element = JsonSerializer.SerializeToDocument(body, DocumentJson.Options);
        var root = element.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A document body must serialize to a JSON object, not {root.ValueKind}.", nameof(body));
        }

        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString(PartitionKeyProperty, partitionKey);
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals("id") || property.NameEquals(PartitionKeyProperty))
                {
                    var expected = property.NameEquals("id") ? id : partitionKey;
                    if (property.Value.ValueKind != JsonValueKind.String || !property.Value.ValueEquals(expected))
                    {
                        throw new ArgumentException(
                            $"The body's '{property.Name}' ({property.Value}) differs from the document's ({expected}).", nameof(body));
                    }

                    continue;
                }

                if (SystemProperties.Contains(property.Name))
                {
                    throw new ArgumentException($"'{property.Name}' is a Cosmos DB system property.", nameof(body));
                }

                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }

    private static async Task<List<StoredDocument<T>>> ReadDocumentsAsync<T>(Stream content, CancellationToken cancellationToken)
    {
        using var page = await JsonDocument.ParseAsync(content, cancellationToken: cancellationToken);
        var documents = new List<StoredDocument<T>>();
        if (page.RootElement.TryGetProperty("Documents", out var items))
        {
            foreach (var item in items.EnumerateArray())
            {
                documents.Add(ToStored<T>(item));
            }
        }

        return documents;
    }

    /// <summary>A stored document from Cosmos DB's JSON: system properties and <c>pk</c> stripped from the body.</summary>
    private static StoredDocument<T> ToStored<T>(JsonElement item)
    {
        var id = item.GetProperty("id").GetString()!;
        var partitionKey = item.TryGetProperty(PartitionKeyProperty, out var pk) && pk.ValueKind == JsonValueKind.String ? pk.GetString()! : id;
        var etag = item.GetProperty("_etag").GetString()!;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in item.EnumerateObject())
            {
                if (!property.NameEquals(PartitionKeyProperty) && !SystemProperties.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        var body = JsonSerializer.Deserialize<T>(buffer.WrittenSpan, DocumentJson.Options)
            ?? throw new JsonException($"Stored document '{id}' is null.");
        return new StoredDocument<T>(id, partitionKey, body, etag);
    }

    private static bool IsValidId(string id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 255 && id.AsSpan().IndexOfAny("/\\?#") < 0;

    private static void ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!IsValidId(id))
        {
            throw new ArgumentException($"Document id '{id}' is not valid: at most 255 characters, none of / \\ ? #.", nameof(id));
        }
    }
}
