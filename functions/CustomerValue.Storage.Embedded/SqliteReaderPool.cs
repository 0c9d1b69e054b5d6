using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// Open read connections, each with its point-read statement prepared once. In WAL mode every statement reads the
/// latest committed state without blocking the writer; a connection is used by one caller at a time.
/// </summary>
internal sealed class SqliteReaderPool(SqliteConnectionFactory factory, SqliteContainerCodes codes) : IDisposable
{
    // Enough for every thread that can be inside a read at once on a small machine; extra connections opened under a
    // burst are closed on return rather than kept.
    private static readonly int MaxIdle = Math.Max(8, Environment.ProcessorCount * 4);
    private readonly ConcurrentBag<ReaderConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public ReaderConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return new ReaderConnection(factory.Open(), codes);
    }

    public void Return(ReaderConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        _idle.Add(connection);
        if (_disposed)
        {
            Drain(); // disposed while returning: nothing may stay open
        }
    }

    /// <summary>
    /// Closes the idle connections, freeing their page caches (up to <c>cache_size</c> each); the next reads open new
    /// ones. Connections in use stay open and come back to the pool as usual.
    /// </summary>
    public void Clear() => Drain();

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    private void Drain()
    {
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }
}

/// <summary>Turns a stored body of the document <paramref name="id"/> into the result (<see cref="StoredBodies"/>).</summary>
internal delegate T BodyReader<out T>(ReadOnlySpan<byte> stored, string id);

/// <summary>
/// One open read connection and its point read, prepared once and run through the SQLite API directly: the body is
/// deserialized straight from SQLite's buffer, with no copy and no ADO.NET reader per call.
/// </summary>
internal sealed class ReaderConnection : IDisposable
{
    /// <summary>Commands kept prepared per connection: the store's queries are a fixed set of texts.</summary>
    private const int MaxCommands = 64;

    private readonly sqlite3_stmt _pointRead;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private sqlite3_stmt? _partitionFeed;
    private sqlite3_stmt? _lastSequence;

    private readonly SqliteContainerCodes _codes;

    public ReaderConnection(SqliteConnection connection, SqliteContainerCodes codes)
    {
        Connection = connection;
        _codes = codes;
        // "pk IS ?2": the column is NULL when the partition key is the id (SqliteSchema).
        Check(raw.sqlite3_prepare_v2(connection.Handle, "SELECT body, seq FROM docs WHERE container = ?1 AND pk IS ?2 AND id = ?3", out _pointRead));
    }

    public SqliteConnection Connection { get; }

    /// <summary>The container's code, <see cref="SqliteContainerCodes.None"/> if it never held a document.</summary>
    public long Code(string container) => _codes.Find(Connection, container);

    /// <summary>
    /// The command for <paramref name="sql"/>, with no parameters, owned by this connection (not to be disposed by the
    /// caller): its statement is prepared at its first run and reused after, instead of parsed and planned for every
    /// query (an import's lookup by order id ran once per order, and SQLite's parser showed in its profile).
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }

        if (_commands.Count >= MaxCommands)
        {
            // Not expected with the store's own queries; a bound all the same, should texts ever vary.
            DisposeCommands();
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        _commands.Add(sql, command);
        return command;
    }

    /// <summary>
    /// Begins one read transaction for several point reads, ended when the result is disposed: the reads share one
    /// snapshot and one WAL read lock instead of taking and dropping the lock (a file-lock system call) per read.
    /// </summary>
    public ReadSnapshot Snapshot()
    {
        Check(raw.sqlite3_exec(Connection.Handle, "BEGIN"));
        return new ReadSnapshot(this);
    }

    /// <summary>An open read transaction of a <see cref="ReaderConnection"/>.</summary>
    internal readonly struct ReadSnapshot(ReaderConnection owner) : IDisposable
    {
        public void Dispose() => raw.sqlite3_exec(owner.Connection.Handle, "COMMIT");
    }

    /// <summary>Runs the point read; <paramref name="read"/> turns the row's body (UTF-8 JSON) into the result.</summary>
    public bool TryRead<T>(string container, string id, string partitionKey, BodyReader<T> read, out T? body, out string? etag)
    {
        try
        {
            Check(raw.sqlite3_bind_int64(_pointRead, 1, Code(container)));
            Check(SqliteSchema.StoredPartitionKey(id, partitionKey) is { } pk ? BindKey(_pointRead, 2, pk) : raw.sqlite3_bind_null(_pointRead, 2));
            Check(BindKey(_pointRead, 3, id));
            var rc = Step(_pointRead);
            if (rc == raw.SQLITE_DONE)
            {
                (body, etag) = (default, null);
                return false;
            }

            // Blob for bodies written by this version, text for earlier ones: SQLite hands out the same UTF-8 bytes.
            body = read(raw.sqlite3_column_blob(_pointRead, 0), id);
            etag = SqliteWriteBatcher.ETagOf(raw.sqlite3_column_int64(_pointRead, 1));
            return true;
        }
        finally
        {
            // Resetting ends the statement's read transaction, so the connection never pins an old snapshot.
            raw.sqlite3_reset(_pointRead);
        }
    }

    /// <summary>
    /// One page of a partition's change feed: its documents written after sequence <paramref name="after"/>, in write
    /// order, at most <paramref name="limit"/>. Other partitions' rows are passed over through the feed index and their
    /// partition key alone, so their bodies are never read; each body read is deserialized straight from SQLite's buffer.
    /// <paramref name="position"/> is where the next page starts: the last row's sequence, or, when the page is not
    /// full, the container's last sequence (in the same snapshot), so that the next read does not pass over the other
    /// partitions' rows again.
    /// </summary>
    public List<(string Id, T Body, string ETag)> ReadPartitionFeed<T>(string container, string partitionKey, long after, int limit, BodyReader<T> read, out long position)
    {
        var feed = _partitionFeed ??= Prepare("SELECT id, body, seq FROM docs WHERE container = ?1 AND seq > ?2 AND (pk = ?3 OR (pk IS NULL AND id = ?3)) ORDER BY seq LIMIT ?4");
        var last = _lastSequence ??= Prepare("SELECT max(seq) FROM docs WHERE container = ?1");
        var code = Code(container);
        var page = new List<(string, T, string)>();
        position = after;
        using (Snapshot())
        {
            try
            {
                Check(raw.sqlite3_bind_int64(feed, 1, code));
                Check(raw.sqlite3_bind_int64(feed, 2, after));
                Check(BindKey(feed, 3, partitionKey));
                Check(raw.sqlite3_bind_int(feed, 4, limit));
                while (Step(feed) == raw.SQLITE_ROW)
                {
                    var id = StoredKeys.Decode(raw.sqlite3_column_blob(feed, 0), raw.sqlite3_column_type(feed, 0) == raw.SQLITE_BLOB);
                    var sequence = raw.sqlite3_column_int64(feed, 2);
                    page.Add((id, read(raw.sqlite3_column_blob(feed, 1), id), SqliteWriteBatcher.ETagOf(sequence)));
                    position = sequence;
                }
            }
            finally
            {
                raw.sqlite3_reset(feed);
            }

            if (page.Count < limit)
            {
                try
                {
                    Check(raw.sqlite3_bind_int64(last, 1, code));
                    if (Step(last) == raw.SQLITE_ROW && raw.sqlite3_column_type(last, 0) != raw.SQLITE_NULL)
                    {
                        position = Math.Max(position, raw.sqlite3_column_int64(last, 0));
                    }
                }
                finally
                {
                    raw.sqlite3_reset(last);
                }
            }
        }

        return page;
    }

    public void Dispose()
    {
        DisposeCommands();
        _pointRead.Dispose();
        _partitionFeed?.Dispose();
        _lastSequence?.Dispose();
        Connection.Dispose();
    }

    private void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    /// <summary>Binds a key as the columns hold it (<see cref="StoredKeys"/>).</summary>
    private static int BindKey(sqlite3_stmt statement, int index, string key) =>
        StoredKeys.Encode(key) is byte[] blob ? raw.sqlite3_bind_blob(statement, index, blob) : raw.sqlite3_bind_text(statement, index, key);

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(Connection.Handle, sql, out var statement));
        return statement;
    }

    private int Step(sqlite3_stmt statement)
    {
        // Readers never wait for the writer in WAL mode; SQLITE_BUSY only comes from another process's recovery or
        // exclusive lock, which ADO.NET would also wait out.
        var deadline = Environment.TickCount64 + 60_000;
        while (true)
        {
            var rc = raw.sqlite3_step(statement);
            if (rc is raw.SQLITE_ROW or raw.SQLITE_DONE)
            {
                return rc;
            }

            if (rc is not (raw.SQLITE_BUSY or raw.SQLITE_LOCKED) || Environment.TickCount64 > deadline)
            {
                SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
            }

            raw.sqlite3_reset(statement);
            Thread.Sleep(1);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
        }
    }
}
