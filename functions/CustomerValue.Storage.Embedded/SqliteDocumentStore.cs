using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CustomerValue.Storage.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The embedded default store: one SQLite file with Cosmos DB semantics. Every write stamps the document with
/// the next value of a store-wide sequence; the ETag is derived from it, and the change feed is "documents of a
/// container whose sequence is above the continuation, in sequence order" — which, like Cosmos DB's latest-version
/// change feed, yields each changed document once in its latest version.
/// <para>
/// Performance: connections stay open with their settings applied and their statements prepared (a pool of read
/// connections, one writer); concurrent writes are committed together (<see cref="SqliteWriteBatcher"/>), each keeping
/// its own ETag check and sequence number; bodies are stored as UTF-8 JSON blobs, compressed against a dictionary in
/// most containers (<see cref="StoredBodies"/>; documents written as text or plain JSON by earlier versions read the same).
/// </para>
/// </summary>
public sealed class SqliteDocumentStore : IDocumentStore, IDisposable
{
    private const int ScanPageSize = 500;
    private readonly SqliteConnectionFactory _factory;
    private readonly SqliteReaderPool _readers;
    private readonly SqliteWriteBatcher _writer;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly SqliteStoreCounters _counters = new();
    private readonly SqliteContainerCodes _codes = new();

    /// <summary>Opens (creating if needed) the store in the given file.</summary>
    public SqliteDocumentStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _factory = new SqliteConnectionFactory(databasePath);
        _readers = new SqliteReaderPool(_factory, _codes);
        _checkpointer = new SqliteCheckpointer(_factory, _counters);
        _writer = new SqliteWriteBatcher(_factory, _counters, _codes, _checkpointer);
    }

    /// <summary>The file that holds the store.</summary>
    public string DatabasePath => _factory.DatabasePath;

    /// <summary>Operation counts since the store was opened.</summary>
    public SqliteStoreStatistics Statistics => _counters.Snapshot();

    /// <summary>
    /// Gives back the memory the store keeps between calls: closes the idle read connections (each holds a page cache
    /// of up to 2 MB and its prepared statements, in C memory the garbage collector never sees) and empties the
    /// writer's page cache. Reads and writes go on meanwhile; later ones reopen connections and warm their caches from
    /// the file (which the OS keeps cached). For idle moments after long jobs, not for every request.
    /// </summary>
    public void ReleaseMemory()
    {
        _readers.Clear();
        _writer.Execute("PRAGMA shrink_memory");
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Run(() =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        _writer.Execute(SqliteSchema.Tables());
        // A store of an earlier version: its documents move into the compact table, in one transaction (SqliteSchema).
        if (Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'") > 0)
        {
            var hasStamp = Scalar("SELECT count(*) FROM pragma_table_info('documents') WHERE name = 'stamp'") > 0;
            try
            {
                _writer.Execute(SqliteSchema.MigrateDocuments(hasStamp));
            }
            catch
            {
                _writer.Execute("ROLLBACK");
                throw;
            }
        }

        _writer.Execute(SqliteArrayIndex.Schema(IndexedArrays.All));
        _writer.Execute(SqliteIdLookups.Schema(IdLookups.Containers));
        return true;
    });

    private long Scalar(string sql) => Convert.ToInt64(_writer.ExecuteScalar(sql), CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public bool WritesAllOrNone => true;

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredDocument<T>>> QueryArrayContainsAsync<T>(string container, string property, string value, string? afterId, int maxItems,
        CancellationToken cancellationToken = default) => Run<IReadOnlyList<StoredDocument<T>>>(() =>
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        if (!IndexedArrays.IsIndexed(container, property))
        {
            throw new ArgumentException($"{container}.{property} is not an indexed array (IndexedArrays).", nameof(property));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return QueryOnReader<T>(SqliteArrayIndex.Query, container, out _,
            ("$name", container), ("$p", property), ("$v", value), ("$after", afterId ?? string.Empty), ("$limit", maxItems));
    });

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default) => Run<IReadOnlyList<StoredDocument<T>>>(() =>
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!IdLookups.IsSearchable(container))
        {
            throw new ArgumentException($"{container} is not searchable by id (IdLookups).", nameof(container));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return QueryOnReader<T>(SqliteIdLookups.Query(container), container, out _, ("$id", StoredKeys.Encode(id)));
    });

    /// <inheritdoc />
    public Task<StampMatches> MatchStampsAsync(string container, IReadOnlyList<string> ids, IReadOnlyList<string> stamps, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(stamps);
        if (!IdLookups.IsSearchable(container))
        {
            throw new ArgumentException($"{container} is not searchable by id (IdLookups).", nameof(container));
        }

        if (ids.Count != stamps.Count)
        {
            throw new ArgumentException($"{ids.Count} ids but {stamps.Count} stamps: one stamp per id.", nameof(stamps));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var matched = new bool[ids.Count];
        List<OtherStamp>? others = null;
        if (ids.Count == 0)
        {
            return new StampMatches(matched, []);
        }

        var pairs = SqliteStampPairs.Json(ids, stamps);
        var connection = _readers.Rent();
        try
        {
            using (var command = connection.Connection.CreateCommand())
            {
                command.CommandText = SqliteIdLookups.MatchStampQuery(container);
                command.Parameters.AddWithValue("$pairs", pairs);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    var index = reader.GetInt32(0);
                    if (reader.IsDBNull(1))
                    {
                        matched[index] = true;
                    }
                    else
                    {
                        (others ??= []).Add(new OtherStamp(index, reader.GetString(1)));
                    }
                }
            }

            _counters.Queried();
            _readers.Return(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        // A pair matched by one holder of its id is matched: the other holders' stamps say nothing more.
        others?.RemoveAll(other => matched[other.Index]);
        return new StampMatches(matched, (IReadOnlyList<OtherStamp>?)others ?? []);
    });

    /// <inheritdoc />
    public Task<IReadOnlyList<DocumentStamp>> FindStampsAsync(string container, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) => Run<IReadOnlyList<DocumentStamp>>(() =>
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (!IdLookups.IsSearchable(container))
        {
            throw new ArgumentException($"{container} is not searchable by id (IdLookups).", nameof(container));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var stamps = new List<DocumentStamp>();
        if (ids.Count == 0)
        {
            return stamps;
        }

        var connection = _readers.Rent();
        try
        {
            using (var command = connection.Connection.CreateCommand())
            {
                // The ids travel as one JSON array: one statement whatever their number (no limit on bound parameters).
                command.CommandText = SqliteIdLookups.StampQuery(container);
                command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids, DocumentJson.Options));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    // pk is NULL when it is the id (SqliteSchema).
                    var id = StoredKeys.Read(reader, 1);
                    stamps.Add(new DocumentStamp(id, reader.IsDBNull(0) ? id : StoredKeys.Read(reader, 0), reader.GetString(2)));
                }
            }

            _counters.Queried();
            _readers.Return(connection);
            return stamps;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    });

    /// <summary>
    /// Runs a query whose rows are (pk, id, body, seq) on a pooled reader connection, with <c>$c</c> bound to the
    /// container's code; <paramref name="lastSequence"/> is the last row's seq, 0 if none. A NULL pk is the id
    /// (<see cref="SqliteSchema"/>). A connection that failed is closed rather than returned.
    /// </summary>
    private List<StoredDocument<T>> QueryOnReader<T>(string sql, string container, out long lastSequence, params (string Name, object Value)[] parameters)
    {
        lastSequence = 0;
        var documents = new List<StoredDocument<T>>();
        var connection = _readers.Rent();
        try
        {
            var command = connection.Command(sql);
            if (sql.Contains("$c", StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue("$c", connection.Code(container));
            }

            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            // Disposing the reader resets the statement, so the connection never pins an old snapshot.
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var id = StoredKeys.Read(reader, 1);
                    var partitionKey = reader.IsDBNull(0) ? id : StoredKeys.Read(reader, 0);
                    lastSequence = reader.GetInt64(3);
                    documents.Add(new StoredDocument<T>(id, partitionKey, Deserialize<T>(reader.GetFieldValue<byte[]>(2), id), SqliteWriteBatcher.ETagOf(lastSequence)));
                }
            }

            _counters.Queried();
            _readers.Return(connection);
            return documents;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        // SQLite answers a point read from memory in microseconds: run it inline rather than hop threads.
        try
        {
            return Task.FromResult(Read<T>(container, id, partitionKey, cancellationToken));
        }
        catch (Exception ex)
        {
            return Failed<StoredDocument<T>?>(ex);
        }
    }

    /// <inheritdoc />
    public Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        cancellationToken.ThrowIfCancellationRequested();
        var after = ParseContinuation(continuation);
        var documents = QueryOnReader<T>(
            "SELECT pk, id, body, seq FROM docs WHERE container = $c AND seq > $after ORDER BY seq LIMIT $limit",
            container, out var last, ("$after", after), ("$limit", maxItems));
        return new ChangeFeedPage<T>(documents, Math.Max(after, last).ToString(CultureInfo.InvariantCulture));
    });

    /// <inheritdoc />
    /// <remarks>The continuation is a sequence number, as the container's feed's, so either feed's position can start the other.</remarks>
    public Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        cancellationToken.ThrowIfCancellationRequested();
        var after = ParseContinuation(continuation);
        var connection = _readers.Rent();
        try
        {
            var rows = connection.ReadPartitionFeed(container, partitionKey, after, maxItems, Bodies<T>.Read, out var position);
            _counters.Queried();
            _readers.Return(connection);
            return new ChangeFeedPage<T>([.. rows.Select(r => new StoredDocument<T>(r.Id, partitionKey, r.Body, r.ETag))], position.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    });

    private StoredDocument<T>? Read<T>(string container, string id, string partitionKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = _readers.Rent();
        try
        {
            var document = connection.TryRead(container, id, partitionKey, Bodies<T>.Read, out var body, out var etag)
                ? new StoredDocument<T>(id, partitionKey, body!, etag!)
                : null;
            _counters.Read(container, document is not null);
            _readers.Return(connection);
            return document;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        new(id, partitionKey, body, (await WriteAsync(WriteKind.Create, container, id, partitionKey, body, null, cancellationToken)).ETag!);

    /// <inheritdoc />
    public async Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        return new(id, partitionKey, body, (await WriteAsync(WriteKind.Replace, container, id, partitionKey, body, ifMatch, cancellationToken)).ETag!);
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        new(id, partitionKey, body, (await WriteAsync(WriteKind.Upsert, container, id, partitionKey, body, null, cancellationToken)).ETag!);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        (await _writer.SubmitAsync(new WriteRequest(WriteKind.Delete, container, id, partitionKey, null, null, cancellationToken))).Deleted;

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Keyset pagination: each page is its own short read, so a long scan never blocks writers. Documents whose
        // partition key is their id (pk NULL) come first, in id order, then the others in (pk, id) order.
        var lastId = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = QueryOnReader<T>("""
                SELECT pk, id, body, seq FROM docs
                WHERE container = $c AND pk IS NULL AND id > $id
                ORDER BY id LIMIT $limit
                """, container, out _, ("$id", StoredKeys.Encode(lastId)), ("$limit", ScanPageSize));
            foreach (var document in page)
            {
                yield return document;
            }

            if (page.Count < ScanPageSize)
            {
                break;
            }

            lastId = page[^1].Id;
            await Task.Yield();
        }

        // Text and blobs compare above NULL, and '' is the least of them: ('', '') starts before every stored (pk, id).
        string lastPk = string.Empty;
        lastId = string.Empty;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = QueryOnReader<T>("""
                SELECT pk, id, body, seq FROM docs
                WHERE container = $c AND (pk, id) > ($pk, $id)
                ORDER BY pk, id LIMIT $limit
                """, container, out _, ("$pk", StoredKeys.Encode(lastPk)), ("$id", StoredKeys.Encode(lastId)), ("$limit", ScanPageSize));
            foreach (var document in page)
            {
                yield return document;
            }

            if (page.Count < ScanPageSize)
            {
                yield break;
            }

            (lastPk, lastId) = (page[^1].PartitionKey, page[^1].Id);
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public Task<DocumentPage<T>> ReadPartitionAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) => Run(() =>
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        cancellationToken.ThrowIfCancellationRequested();
        // Keyset pagination by id within the partition: the continuation is the last id returned.
        // The partition's documents with another id, and the one whose id is the partition key (stored with pk NULL).
        var page = QueryOnReader<T>("""
            SELECT pk, id, body, seq FROM docs WHERE container = $c AND pk = $pk AND id > $id
            UNION ALL
            SELECT pk, id, body, seq FROM docs WHERE container = $c AND pk IS NULL AND id = $pk AND id > $id
            ORDER BY id LIMIT $limit
            """, container, out _, ("$pk", StoredKeys.Encode(partitionKey)), ("$id", StoredKeys.Encode(continuation ?? string.Empty)), ("$limit", maxItems));
        return new DocumentPage<T>(page, page.Count < maxItems ? null : page[^1].Id);
    });

    /// <inheritdoc />
    /// <remarks>Point reads on one read connection, in one read transaction (one snapshot).</remarks>
    public Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default) => Run<IReadOnlyList<StoredDocument<T>>>(() =>
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var documents = new List<StoredDocument<T>>(addresses.Count);
        if (addresses.Count == 0)
        {
            return documents;
        }

        // One prepared point read per address, all in one read transaction: SQLite seeks the unique index in
        // microseconds, while a statement that names hundreds of addresses costs more to prepare and bind (parameters
        // are bound by name) than the seeks.
        var connection = _readers.Rent();
        try
        {
            var seen = new HashSet<DocumentAddress>(addresses.Count);
            // The read transaction ends before the connection goes back to the pool, where another caller may take it.
            using (connection.Snapshot())
            {
                foreach (var address in addresses)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (seen.Add(address) && connection.TryRead(container, address.Id, address.PartitionKey, Bodies<T>.Read, out var body, out var etag))
                    {
                        documents.Add(new StoredDocument<T>(address.Id, address.PartitionKey, body!, etag!));
                    }
                }
            }

            _counters.Queried();
            _readers.Return(connection);
            return documents;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    });

    /// <inheritdoc />
    /// <remarks>One transaction: all the writes are applied, or none (the first refusal undoes the others).</remarks>
    public async Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        var parts = new WriteRequest[writes.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var w = writes[i];
            ValidateId(w.Id);
            var kind = w.Kind switch
            {
                DocumentWriteKind.Create => WriteKind.Create,
                DocumentWriteKind.Replace => WriteKind.Replace,
                DocumentWriteKind.Upsert => WriteKind.Upsert,
                _ => WriteKind.Delete,
            };
            var json = kind == WriteKind.Delete ? null : JsonSerializer.SerializeToUtf8Bytes(w.Body, w.Body?.GetType() ?? typeof(object), DocumentJson.Options);
            if (kind == WriteKind.Replace)
            {
                ArgumentNullException.ThrowIfNull(w.IfMatch);
            }

            parts[i] = new WriteRequest(kind, w.Container, w.Id, w.PartitionKey, json, w.IfMatch, cancellationToken) { Stamp = w.Stamp };
        }

        await _writer.SubmitAsync(new WriteRequest(WriteKind.Upsert, string.Empty, string.Empty, string.Empty, null, null, cancellationToken) { Parts = parts });
        return [.. parts.Select(p => p.Result.ETag)];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _checkpointer.Dispose();
        _writer.Dispose();
        _readers.Dispose();
    }

    /// <summary>Runs synchronous work as a task, reporting failures through the task as an async method would.</summary>
    private static Task<TResult> Run<TResult>(Func<TResult> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (Exception ex)
        {
            return Failed<TResult>(ex);
        }
    }

    private static Task<TResult> Failed<TResult>(Exception ex) =>
        ex is OperationCanceledException canceled
            ? Task.FromCanceled<TResult>(canceled.CancellationToken.IsCancellationRequested ? canceled.CancellationToken : new CancellationToken(true))
            : Task.FromException<TResult>(ex);

    private static long ParseContinuation(string? continuation) =>
        continuation is null ? 0
        : long.TryParse(continuation, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException("The continuation was not issued by this store.", nameof(continuation));

    private async Task<WriteResult> WriteAsync<T>(WriteKind kind, string container, string id, string partitionKey, T body, string? ifMatch, CancellationToken cancellationToken)
    {
        ValidateId(id);
        // Serialized on the caller's thread, outside the write lock: the committer only runs SQL.
        var json = JsonSerializer.SerializeToUtf8Bytes(body, DocumentJson.Options);
        return await _writer.SubmitAsync(new WriteRequest(kind, container, id, partitionKey, json, ifMatch, cancellationToken));
    }

    /// <summary>Deserializes the document <paramref name="id"/>'s body column, compressed or plain JSON, blob or text (<see cref="StoredBodies"/>).</summary>
    private static T Deserialize<T>(ReadOnlySpan<byte> stored, string id) => StoredBodies.Decode(stored, id, Bodies<T>.Parse);

    /// <summary>The delegates of a body type, made once: a method group passed per read is a new delegate per document.</summary>
    private static class Bodies<T>
    {
        public static readonly BodyReader<T> Read = Deserialize<T>;

        public static readonly Func<ReadOnlySpan<byte>, T> Parse = utf8 =>
            JsonSerializer.Deserialize<T>(utf8, DocumentJson.Options) ?? throw new JsonException("Stored document is null.");
    }

    private static void ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        // Cosmos DB rejects these characters in ids; reject them here too so both stores agree.
        if (id.AsSpan().IndexOfAny("/\\?#") >= 0 || id.Length > 255)
        {
            // The id is not quoted: a caller's id can carry personal data, and this message can reach a log.
            throw new ArgumentException($"A document id of {id.Length} characters is not valid: at most 255 characters, none of / \\ ? #.", nameof(id));
        }
    }
}
