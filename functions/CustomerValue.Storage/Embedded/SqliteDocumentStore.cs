using System.Globalization;
using System.Runtime.CompilerServices;
using CustomerValue.Storage.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The embedded default store: one SQLite file with Cosmos DB semantics. Every write stamps the document with
/// the next value of a store-wide sequence; the ETag is derived from it, and the change feed is "documents of a
/// container whose sequence is above the continuation, in sequence order" — which, like Cosmos DB's latest-version
/// change feed, yields each changed document once in its latest version.
/// </summary>
public sealed class SqliteDocumentStore : IDocumentStore, IDisposable
{
    private const int ScanPageSize = 500;
    private readonly string _connectionString;

    // One writer at a time inside the process: SQLite allows one writer anyway, and waiting on a semaphore is far
    // cheaper than SQLite's sleep-and-retry on a busy database.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Opens (creating if needed) the store in the given file.</summary>
    public SqliteDocumentStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    /// <summary>The file that holds the store.</summary>
    public string DatabasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS documents (
                container TEXT NOT NULL,
                pk TEXT NOT NULL,
                id TEXT NOT NULL,
                body TEXT NOT NULL,
                etag TEXT NOT NULL,
                seq INTEGER NOT NULL,
                PRIMARY KEY (container, pk, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS documents_change_feed ON documents (container, seq);
            CREATE TABLE IF NOT EXISTS sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO sequence (name, value) VALUES ('writes', 0);
            """, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body, etag FROM documents WHERE container = $c AND pk = $pk AND id = $id";
        Bind(command, container, id, partitionKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredDocument<T>(id, partitionKey, DocumentJson.Deserialize<T>(reader.GetString(0)), reader.GetString(1))
            : null;
    }

    /// <inheritdoc />
    public Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        WriteAsync(container, id, partitionKey, body, async (connection, transaction, json, etag, seq) =>
        {
            await using var command = Command(connection, transaction,
                "INSERT OR IGNORE INTO documents (container, pk, id, body, etag, seq) VALUES ($c, $pk, $id, $body, $etag, $seq)",
                container, id, partitionKey, json, etag, seq);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new DocumentConflictException(container, id);
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
        WriteAsync(container, id, partitionKey, body, async (connection, transaction, json, etag, seq) =>
        {
            await using var command = Command(connection, transaction,
                "UPDATE documents SET body = $body, etag = $etag, seq = $seq WHERE container = $c AND pk = $pk AND id = $id AND etag = $ifMatch",
                container, id, partitionKey, json, etag, seq);
            command.Parameters.AddWithValue("$ifMatch", ifMatch);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw await ExistsAsync(connection, transaction, container, id, partitionKey, cancellationToken)
                    ? new DocumentPreconditionFailedException(container, id)
                    : new DocumentNotFoundException(container, id);
            }
        }, cancellationToken);

    /// <inheritdoc />
    public Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        WriteAsync(container, id, partitionKey, body, async (connection, transaction, json, etag, seq) =>
        {
            await using var command = Command(connection, transaction,
                """
                INSERT INTO documents (container, pk, id, body, etag, seq) VALUES ($c, $pk, $id, $body, $etag, $seq)
                ON CONFLICT (container, pk, id) DO UPDATE SET body = excluded.body, etag = excluded.etag, seq = excluded.seq
                """,
                container, id, partitionKey, json, etag, seq);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM documents WHERE container = $c AND pk = $pk AND id = $id";
        Bind(command, container, id, partitionKey);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Keyset pagination: each page is its own short read, so a long scan never blocks writers.
        string lastPk = string.Empty, lastId = string.Empty;
        while (true)
        {
            var page = new List<StoredDocument<T>>(ScanPageSize);
            await using (var connection = await OpenAsync(cancellationToken))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT pk, id, body, etag FROM documents
                    WHERE container = $c AND (pk > $pk OR (pk = $pk AND id > $id))
                    ORDER BY pk, id LIMIT $limit
                    """;
                Bind(command, container, lastId, lastPk);
                command.Parameters.AddWithValue("$limit", ScanPageSize);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(new StoredDocument<T>(reader.GetString(1), reader.GetString(0), DocumentJson.Deserialize<T>(reader.GetString(2)), reader.GetString(3)));
                }
            }

            foreach (var document in page)
            {
                yield return document;
            }

            if (page.Count < ScanPageSize)
            {
                yield break;
            }

            (lastPk, lastId) = (page[^1].PartitionKey, page[^1].Id);
        }
    }

    /// <inheritdoc />
    public async Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        var after = ParseContinuation(continuation);
        var documents = new List<StoredDocument<T>>();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT pk, id, body, etag, seq FROM documents WHERE container = $c AND seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$c", container);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", maxItems);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(new StoredDocument<T>(reader.GetString(1), reader.GetString(0), DocumentJson.Deserialize<T>(reader.GetString(2)), reader.GetString(3)));
            after = reader.GetInt64(4);
        }

        return new ChangeFeedPage<T>(documents, after.ToString(CultureInfo.InvariantCulture));
    }

    private static long ParseContinuation(string? continuation) =>
        continuation is null ? 0
        : long.TryParse(continuation, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException("The continuation was not issued by this store.", nameof(continuation));

    private delegate Task WriteStatement(SqliteConnection connection, SqliteTransaction transaction, string json, string etag, long sequence);

    private async Task<StoredDocument<T>> WriteAsync<T>(string container, string id, string partitionKey, T body, WriteStatement statement, CancellationToken cancellationToken)
    {
        ValidateId(id);
        var json = DocumentJson.Serialize(body);
        await using var connection = await OpenAsync(cancellationToken);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            // BEGIN IMMEDIATE takes the write lock up front, so the sequence number and the write commit together.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var sequence = await NextSequenceAsync(connection, transaction, cancellationToken);
            var etag = string.Create(CultureInfo.InvariantCulture, $"\"{sequence:x16}\"");
            await statement(connection, transaction, json, etag, sequence);
            await transaction.CommitAsync(cancellationToken);
            return new StoredDocument<T>(id, partitionKey, body, etag);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static void ValidateId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        // Cosmos DB rejects these characters in ids; reject them here too so both stores agree.
        if (id.AsSpan().IndexOfAny("/\\?#") >= 0 || id.Length > 255)
        {
            throw new ArgumentException($"Document id '{id}' is not valid: at most 255 characters, none of / \\ ? #.", nameof(id));
        }
    }

    private static async Task<long> NextSequenceAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE sequence SET value = value + 1 WHERE name = 'writes' RETURNING value";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string container, string id, string partitionKey, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM documents WHERE container = $c AND pk = $pk AND id = $id";
        Bind(command, container, id, partitionKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, string container, string id, string partitionKey, string json, string etag, long sequence)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Bind(command, container, id, partitionKey);
        command.Parameters.AddWithValue("$body", json);
        command.Parameters.AddWithValue("$etag", etag);
        command.Parameters.AddWithValue("$seq", sequence);
        return command;
    }

    private static void Bind(SqliteCommand command, string container, string id, string partitionKey)
    {
        command.Parameters.AddWithValue("$c", container);
        command.Parameters.AddWithValue("$pk", partitionKey);
        command.Parameters.AddWithValue("$id", id);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes in WAL mode.
        await ExecuteAsync(connection, null, "PRAGMA synchronous = NORMAL;", cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _writeGate.Dispose();
}
