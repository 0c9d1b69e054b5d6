using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// Opens the store's connections with their per-connection settings applied once, at open, instead of on every call.
/// The store keeps its own small pools of open connections (ADO.NET pooling is off, so closing a connection really
/// releases the file — tests and the demo delete it afterwards).
/// </summary>
internal sealed class SqliteConnectionFactory(string databasePath)
{
    /// <summary><c>SQLITE_DBCONFIG_ENABLE_QPSG</c>: plans that never depend on bound values.</summary>
    private const int EnableQueryPlannerStabilityGuarantee = 1007;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 60,
    }.ToString();

    public string DatabasePath => databasePath;

    /// <summary>Page cache of each reading connection, in KB: several are open at once, and the OS caches the file too.</summary>
    public const int ReaderCacheKilobytes = 2048;

    /// <summary>Page cache of the one writing connection, in KB: every write walks its B-trees' upper pages.</summary>
    public const int WriterCacheKilobytes = 8192;

    /// <summary>
    /// The writer's connection: a larger page cache, and SQLite's own automatic checkpoint only as the bound on the log
    /// when the background checkpointer falls behind (<see cref="SqliteCheckpointer"/>).
    /// </summary>
    public SqliteConnection OpenWriter()
    {
        var connection = Open();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA cache_size = -{WriterCacheKilobytes}; PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterCheckpointPages};";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A reading connection (also what <see cref="OpenWriter"/> starts from).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            // NORMAL sync is durable across process crashes in WAL mode (a power cut may lose the last commits).
            // No mmap: every connection remapped the file as it grew (munmap and page faults led an import's CPU profile)
            // and mapped pages count in the working set. Checkpoints run beside the writer (SqliteCheckpointer), not in
            // its commits, which stalled every write queued behind them. The page cache per reading connection is small:
            // up to eight stay open, and at 8 MB each their caches could hold 64 MB once the store outgrew them, a fifth of
            // the 300 MB a 1 GB import may use; a page missing from it costs one read from the OS's cache of the file.
            // A WAL that grew while readers held old snapshots is cut back to 4 MB when it restarts, rather than keeping
            // its largest size on disk for good.
            command.CommandText = $"""
                PRAGMA journal_size_limit = 4194304;
                PRAGMA synchronous = NORMAL;
                PRAGMA temp_store = MEMORY;
                PRAGMA cache_size = -{ReaderCacheKilobytes};
                PRAGMA mmap_size = 0;
                """;
            command.ExecuteNonQuery();
            // Without it, every statement that binds the container code ("container = ?") is compiled against that value,
            // because the planner compares it with the WHERE of the partial order-id index ("container = 2"), and SQLite
            // recompiles such a statement whenever the value is bound again: each point read and each write recompiled
            // its statement (about two recompilations per imported row, a sixth of the import's CPU). The queries that use
            // the partial index name their container's code in their text (SqliteIdLookups), so no plan is lost.
            if (raw.sqlite3_db_config(connection.Handle, EnableQueryPlannerStabilityGuarantee, 1, out _) != raw.SQLITE_OK)
            {
                throw new InvalidOperationException("SQLite refused its query planner stability guarantee.");
            }

            StoredKeys.Register(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
