using System.Collections.Concurrent;
using System.Globalization;
using CustomerValue.Storage.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Embedded;

/// <summary>What a write asks for.</summary>
internal enum WriteKind
{
    Create,
    Replace,
    Upsert,
    Delete,
}

/// <summary>One queued write and the task its caller awaits: the new ETag, or (for a delete) whether there was a document.</summary>
internal sealed class WriteRequest(WriteKind kind, string container, string id, string partitionKey, byte[]? body, string? ifMatch, CancellationToken cancellationToken)
    : TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public WriteKind Kind => kind;
    public string Container => container;
    public string Id => id;
    public string PartitionKey => partitionKey;
    public byte[]? Body => body;

    /// <summary>What the body column receives (<see cref="StoredBodies"/>), prepared on the caller's thread, outside the writer's turn.</summary>
    public byte[]? StoredBody { get; } = body is null ? null : StoredBodies.Encode(container, id, body);

    /// <summary>What the pk column receives: NULL when the partition key is the id (<see cref="SqliteSchema"/>), else the encoded key (<see cref="StoredKeys"/>).</summary>
    public object? StoredPartitionKey { get; } = SqliteSchema.StoredPartitionKey(id, partitionKey) is { } pk ? StoredKeys.Encode(pk) : null;

    /// <summary>What the id column receives (<see cref="StoredKeys"/>).</summary>
    public object? StoredId { get; } = string.IsNullOrEmpty(id) ? null : StoredKeys.Encode(id);

    /// <summary>The container's code (<see cref="SqliteContainerCodes"/>), set by the writer before its transaction.</summary>
    public long ContainerCode { get; set; }
    public string? IfMatch => ifMatch;

    /// <summary>What the stamp column receives (<see cref="DocumentWrite.Stamp"/>); null clears it.</summary>
    public string? Stamp { get; init; }
    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Whether a bulk job queued it (<see cref="BulkWrites"/>): other writes go first.</summary>
    public bool Bulk { get; } = BulkWrites.Active;

    /// <summary>For a set of writes applied all or none (<see cref="IDocumentStore.WriteAllAsync"/>): its writes.</summary>
    public IReadOnlyList<WriteRequest>? Parts { get; init; }

    // Set while the batch runs, published only after it commits.
    public WriteResult Result { get; set; }
    public Exception? Refusal { get; set; }
}

/// <summary>The outcome of a write that was applied.</summary>
internal readonly record struct WriteResult(string? ETag, bool Deleted);

/// <summary>
/// Group commit for the single SQLite writer. Callers queue their write, and the first to queue one schedules a
/// commit on the thread pool; it applies every write queued by the time it runs in one <c>BEGIN IMMEDIATE</c>
/// transaction, one statement each, in queue order, then commits once and completes them all. Each write keeps its own
/// semantics inside the batch: it sees the writes queued before it, takes the next sequence number only if it is
/// applied (ETag and change-feed order stay per write), and a refused write (conflict, stale ETag, missing document)
/// changes nothing and fails only its own caller. Callers learn their outcome only after the commit, so a completed
/// write is durable and visible to every reader. Under no contention a batch holds just the caller's own write, one
/// thread-pool hop later.
/// <para>
/// Writes of a bulk job (<see cref="BulkWrites"/>) wait in a queue of their own, and a batch takes every other write
/// first and fills up with bulk writes, at most <see cref="MaxBulkStatements"/> statements of them: a webhook that
/// arrives during an import then waits for one short transaction, not for the thousands of writes the import queued
/// before it. Writes of one caller keep their order, because a caller's writes are all bulk or all not.
/// </para>
/// </summary>
internal sealed class SqliteWriteBatcher(SqliteConnectionFactory factory, SqliteStoreCounters counters, SqliteContainerCodes codes, SqliteCheckpointer checkpointer) : IDisposable
{
    private const int MaxBatch = 256;

    /// <summary>The most statements of bulk writes in one transaction, which bounds how long other writes wait.</summary>
    private const int MaxBulkStatements = 512;

    private readonly ConcurrentQueue<WriteRequest> _queue = new();
    private readonly ConcurrentQueue<WriteRequest> _bulk = new();
    private readonly List<WriteRequest> _batch = new(MaxBatch);
    private int _committing;
    private int _drainScheduled;
    private bool _disposed;
    private WriterConnection? _connection;

    public Task<WriteResult> SubmitAsync(WriteRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<WriteResult>(request.CancellationToken);
        }

        (request.Bulk ? _bulk : _queue).Enqueue(request);
        // The commit runs as a thread-pool item rather than on the caller's thread: callers that are ready to run
        // (other webhooks, other people of an import batch) queue their writes first and share the transaction.
        if (Interlocked.CompareExchange(ref _drainScheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static batcher =>
            {
                Volatile.Write(ref batcher._drainScheduled, 0);
                batcher.Drain();
            }, this, preferLocal: false);
        }

        return request.Task;
    }

    /// <summary>Runs DDL and other one-off statements on the writer connection, between batches.</summary>
    public void Execute(string sql) => ExecuteScalar(sql);

    /// <summary>Runs one-off statements on the writer connection, between batches; the first column of the first row.</summary>
    public object? ExecuteScalar(string sql)
    {
        AcquireExclusive();
        object? result;
        try
        {
            using var command = Connection.Connection.CreateCommand();
            command.CommandText = sql;
            result = command.ExecuteScalar();
        }
        finally
        {
            Release();
        }

        Drain();
        return result;
    }

    public void Dispose()
    {
        AcquireExclusive();
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
            while (_queue.TryDequeue(out var request) || _bulk.TryDequeue(out request))
            {
                request.TrySetException(new ObjectDisposedException(nameof(SqliteDocumentStore)));
            }
        }
        finally
        {
            Release();
        }
    }

    private WriterConnection Connection
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteDocumentStore));
            return _connection ??= new WriterConnection(factory.OpenWriter());
        }
    }

    private void Drain()
    {
        // The full fence of Interlocked.Exchange on release makes the re-check below see any write queued by a caller
        // whose attempt to become the committer failed while this thread held the role: no write is left behind.
        while ((!_queue.IsEmpty || !_bulk.IsEmpty) && Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            try
            {
                while (TakeBatch())
                {
                    CommitBatch();
                }
            }
            finally
            {
                Release();
            }
        }
    }

    private void AcquireExclusive()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
        {
            spin.SpinOnce();
        }
    }

    private void Release() => Interlocked.Exchange(ref _committing, 0);

    private bool TakeBatch()
    {
        _batch.Clear();
        while (_batch.Count < MaxBatch && _queue.TryDequeue(out var request))
        {
            Take(request);
        }

        var bulkStatements = 0;
        while (_batch.Count < MaxBatch && bulkStatements < MaxBulkStatements && _bulk.TryDequeue(out var request))
        {
            bulkStatements += request.Parts?.Count ?? 1;
            Take(request);
        }

        return _batch.Count > 0;
    }

    private void Take(WriteRequest request)
    {
        if (request.CancellationToken.IsCancellationRequested)
        {
            request.TrySetCanceled(request.CancellationToken);
        }
        else
        {
            _batch.Add(request);
        }
    }

    private void CommitBatch()
    {
        WriterConnection connection;
        try
        {
            connection = Connection;
        }
        catch (Exception ex)
        {
            FailAll(ex);
            return;
        }

        try
        {
            Apply(connection, _batch);
        }
        catch (Exception ex) when (_batch.Count > 1 && ex is SqliteException)
        {
            // A write SQLite itself refused (not a contract refusal) must not fail its neighbours: redo them one by one.
            var writes = _batch.ToList();
            foreach (var write in writes)
            {
                try
                {
                    Apply(connection, [write]);
                    Complete(write);
                }
                catch (Exception single)
                {
                    write.TrySetException(single);
                }
            }

            return;
        }
        catch (Exception ex)
        {
            FailAll(ex);
            return;
        }

        foreach (var write in _batch)
        {
            Complete(write);
        }
    }

    private void FailAll(Exception ex)
    {
        foreach (var write in _batch)
        {
            write.TrySetException(ex);
        }
    }

    private static void Complete(WriteRequest write)
    {
        if (write.Refusal is { } refusal)
        {
            write.TrySetException(refusal);
        }
        else
        {
            write.TrySetResult(write.Result);
        }
    }

    /// <summary>Applies the writes in one transaction; throws (having rolled back) if SQLite fails.</summary>
    private void Apply(WriterConnection connection, IReadOnlyList<WriteRequest> writes)
    {
        // Codes first, outside the transaction: a new container's code is committed on its own (SqliteContainerCodes).
        foreach (var write in writes.SelectMany(w => w.Parts ?? [w]))
        {
            write.ContainerCode = codes.Assign(connection.Connection, write.Container);
        }

        using var transaction = connection.Connection.BeginTransaction(deferred: false);
        var sequence = connection.ReadSequence(transaction);
        var first = sequence;
        foreach (var write in writes)
        {
            write.Refusal = null;
            if (write.Parts is { } parts)
            {
                ApplyAll(connection, transaction, write, parts, ref sequence);
                continue;
            }

            ApplyOne(connection, transaction, write, ref sequence);
        }

        if (sequence != first)
        {
            connection.WriteSequence(transaction, sequence);
        }

        transaction.Commit();
        counters.Committed();
        checkpointer.Appended(connection.Connection);
        foreach (var write in writes.SelectMany(w => w.Parts is { } parts && w.Refusal is null ? parts : [w]))
        {
            if (write.Kind == WriteKind.Delete)
            {
                counters.Deleted();
            }
            else if (write.Refusal is null)
            {
                counters.Wrote(write.Container);
            }
            else
            {
                counters.WriteFailed();
            }
        }
    }

    /// <summary>Applies one write; a refusal is recorded on it and changes nothing.</summary>
    private static void ApplyOne(WriterConnection connection, SqliteTransaction transaction, WriteRequest write, ref long sequence)
    {
        write.Refusal = null;
        if (write.Kind == WriteKind.Delete)
        {
            var deleted = connection.Delete(transaction, write) > 0;
            if (deleted)
            {
                connection.ArrayIndex.Deleted(transaction, write.Container, write.Id, write.PartitionKey);
            }

            write.Result = new WriteResult(null, deleted);
            return;
        }

        var next = sequence + 1;
        var changed = write.Kind switch
        {
            WriteKind.Create => connection.Create(transaction, write, next),
            WriteKind.Replace => connection.Replace(transaction, write, next),
            _ => connection.Upsert(transaction, write, next),
        };
        if (changed == 0)
        {
            write.Refusal = write.Kind == WriteKind.Create
                ? new DocumentConflictException(write.Container, write.Id)
                : connection.Exists(transaction, write)
                    ? new DocumentPreconditionFailedException(write.Container, write.Id)
                    : new DocumentNotFoundException(write.Container, write.Id);
            return;
        }

        connection.ArrayIndex.Written(transaction, write.Container, write.Id, write.PartitionKey, write.Body!, isNew: write.Kind == WriteKind.Create);
        sequence = next;
        write.Result = new WriteResult(ETagOf(next), false);
    }

    /// <summary>Applies a set of writes inside a savepoint: the first refusal undoes the whole set and refuses it.</summary>
    private static void ApplyAll(WriterConnection connection, SqliteTransaction transaction, WriteRequest set, IReadOnlyList<WriteRequest> parts, ref long sequence)
    {
        var before = sequence;
        connection.Savepoint(transaction);
        foreach (var part in parts)
        {
            ApplyOne(connection, transaction, part, ref sequence);
            if (part.Refusal is { } refusal)
            {
                connection.RollbackToSavepoint(transaction);
                sequence = before;
                set.Refusal = refusal;
                return;
            }
        }

        connection.ReleaseSavepoint(transaction);
        set.Result = new WriteResult(null, false);
    }

    /// <summary>The ETag of the version written with <paramref name="sequence"/>: quoted, like Cosmos DB's.</summary>
    public static string ETagOf(long sequence) => string.Create(CultureInfo.InvariantCulture, $"\"{sequence:x16}\"");

    /// <summary>The sequence an ETag of this store names; -1 (no write has it) for any other text.</summary>
    public static long SequenceOf(string etag) =>
        etag.Length == 18 && etag[0] == '"' && etag[17] == '"'
            && long.TryParse(etag.AsSpan(1, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var sequence) && sequence > 0
            ? sequence
            : -1;
}

/// <summary>The writer's connection and its prepared statements.</summary>
internal sealed class WriterConnection : IDisposable
{
    private readonly PreparedStatement _readSequence, _writeSequence, _insert, _insertOrIgnore, _upsert, _replace, _update, _delete, _exists, _savepoint, _rollbackToSavepoint, _releaseSavepoint;

    public WriterConnection(SqliteConnection connection)
    {
        Connection = connection;
        // Keys are matched with "pk IS $pk": the column is NULL when the partition key is the id (SqliteSchema).
        _readSequence = new PreparedStatement(connection, "SELECT value FROM sequence WHERE name = 'writes'");
        _writeSequence = new PreparedStatement(connection, "UPDATE sequence SET value = $seq WHERE name = 'writes'", "$seq");
        _insert = new PreparedStatement(connection, "INSERT INTO docs (container, pk, id, body, seq, stamp) VALUES ($c, $pk, $id, $body, $seq, $stamp)", "$c", "$pk", "$id", "$body", "$seq", "$stamp");
        // With a partition key the unique key index finds a conflict itself; a NULL pk is never equal to another
        // (SQLite's UNIQUE lets NULLs repeat), so those writes look for the document first.
        _insertOrIgnore = new PreparedStatement(connection, "INSERT OR IGNORE INTO docs (container, pk, id, body, seq, stamp) VALUES ($c, $pk, $id, $body, $seq, $stamp)", "$c", "$pk", "$id", "$body", "$seq", "$stamp");
        _upsert = new PreparedStatement(connection, """
            INSERT INTO docs (container, pk, id, body, seq, stamp) VALUES ($c, $pk, $id, $body, $seq, $stamp)
            ON CONFLICT (container, pk, id) DO UPDATE SET body = excluded.body, seq = excluded.seq, stamp = excluded.stamp
            """, "$c", "$pk", "$id", "$body", "$seq", "$stamp");
        _replace = new PreparedStatement(connection, "UPDATE docs SET body = $body, seq = $seq, stamp = $stamp WHERE container = $c AND pk IS $pk AND id = $id AND seq = $ifMatch", "$c", "$pk", "$id", "$body", "$seq", "$ifMatch", "$stamp");
        _update = new PreparedStatement(connection, "UPDATE docs SET body = $body, seq = $seq, stamp = $stamp WHERE container = $c AND pk IS $pk AND id = $id", "$c", "$pk", "$id", "$body", "$seq", "$stamp");
        _delete = new PreparedStatement(connection, "DELETE FROM docs WHERE container = $c AND pk IS $pk AND id = $id", "$c", "$pk", "$id");
        _exists = new PreparedStatement(connection, "SELECT 1 FROM docs WHERE container = $c AND pk IS $pk AND id = $id", "$c", "$pk", "$id");
        _savepoint = new PreparedStatement(connection, "SAVEPOINT write_all");
        _rollbackToSavepoint = new PreparedStatement(connection, "ROLLBACK TO write_all");
        _releaseSavepoint = new PreparedStatement(connection, "RELEASE write_all");
        ArrayIndex = new SqliteArrayIndexWriter(connection, IndexedArrays.All);
    }

    /// <summary>Keeps the array index in step with this connection's writes.</summary>
    public SqliteArrayIndexWriter ArrayIndex { get; }

    public SqliteConnection Connection { get; }

    public long ReadSequence(SqliteTransaction transaction) => (long)_readSequence.In(transaction).ExecuteScalar()!;

    public void WriteSequence(SqliteTransaction transaction, long sequence) => _writeSequence.In(transaction, sequence).ExecuteNonQuery();

    /// <summary>Inserts the document unless it exists: 1 if inserted, 0 if not.</summary>
    public int Create(SqliteTransaction transaction, WriteRequest w, long sequence) =>
        w.StoredPartitionKey is not null ? Run(_insertOrIgnore, transaction, w, sequence)
        : Exists(transaction, w) ? 0
        : Run(_insert, transaction, w, sequence);

    /// <summary>Inserts or overwrites the document: always 1.</summary>
    public int Upsert(SqliteTransaction transaction, WriteRequest w, long sequence) =>
        w.StoredPartitionKey is not null ? Run(_upsert, transaction, w, sequence)
        : Run(_update, transaction, w, sequence) > 0 ? 1
        : Run(_insert, transaction, w, sequence);

    private static int Run(PreparedStatement statement, SqliteTransaction transaction, WriteRequest w, long sequence) =>
        statement.In(transaction, w.ContainerCode, w.StoredPartitionKey, w.StoredId, w.StoredBody, sequence, w.Stamp).ExecuteNonQuery();

    public int Replace(SqliteTransaction transaction, WriteRequest w, long sequence) =>
        _replace.In(transaction, w.ContainerCode, w.StoredPartitionKey, w.StoredId, w.StoredBody, sequence, SqliteWriteBatcher.SequenceOf(w.IfMatch!), w.Stamp).ExecuteNonQuery();

    public int Delete(SqliteTransaction transaction, WriteRequest w) =>
        _delete.In(transaction, w.ContainerCode, w.StoredPartitionKey, w.StoredId).ExecuteNonQuery();

    // Prepared once: an import sends one set per person, thousands per transaction.
    public void Savepoint(SqliteTransaction transaction) => _savepoint.In(transaction).ExecuteNonQuery();

    public void RollbackToSavepoint(SqliteTransaction transaction)
    {
        _rollbackToSavepoint.In(transaction).ExecuteNonQuery();
        _releaseSavepoint.In(transaction).ExecuteNonQuery();
    }

    public void ReleaseSavepoint(SqliteTransaction transaction) => _releaseSavepoint.In(transaction).ExecuteNonQuery();

    public bool Exists(SqliteTransaction transaction, WriteRequest w) =>
        _exists.In(transaction, w.ContainerCode, w.StoredPartitionKey, w.StoredId).ExecuteScalar() is not null;

    public void Dispose()
    {
        foreach (var statement in new[] { _readSequence, _writeSequence, _insert, _insertOrIgnore, _upsert, _replace, _update, _delete, _exists, _savepoint, _rollbackToSavepoint, _releaseSavepoint })
        {
            statement.Dispose();
        }

        ArrayIndex.Dispose();
        Connection.Dispose();
    }
}
