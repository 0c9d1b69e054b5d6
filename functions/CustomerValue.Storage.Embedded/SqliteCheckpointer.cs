using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// Copies the write-ahead log into the database on a thread of its own, so that the writer never stops to do it.
/// <para>
/// SQLite's automatic checkpoint runs inside the commit that takes the log past its threshold: that commit, and every
/// write queued behind it (a webhook's too), waits while the log's pages are copied to their random places in the file
/// and the file is synced. In a large import that is most commits: a batch of bulk writes touches thousands of random
/// pages. Here the writer only counts the pages it appended (<c>SQLITE_DBSTATUS_CACHE_WRITE</c>) and, every
/// <see cref="PagesPerCheckpoint"/> pages, wakes this checkpointer, which runs a PASSIVE checkpoint on its own
/// connection while the writer goes on appending (SQLite allows one checkpointer beside one writer; a reader is never
/// blocked). A checkpoint that copied every frame lets the next write start the log again from its beginning.
/// </para>
/// <para>
/// Bounded: the log starts again from its beginning only at a write that begins when every frame is copied and no
/// reader is on an older snapshot, which a writer that never pauses (an import) rarely meets. The writer therefore
/// keeps SQLite's own automatic checkpoint at <see cref="WriterCheckpointPages"/>: past it, the writer copies what this
/// thread has not yet (the last commits' pages) and the log can start again; so it also takes over when this thread
/// cannot keep up. Under an import the log overshoots that mark (181 MB the most seen, in a 1 GB import). A failed
/// checkpoint loses nothing: the frames stay in the log, where readers find them, until the next one.
/// </para>
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>Pages appended to the log (4 KB each: 16 MB) after which this thread checkpoints.</summary>
    public const int PagesPerCheckpoint = 4096;

    /// <summary>
    /// The writer's own automatic checkpoint (64 MB of log): the bound on the log when this thread falls behind.
    /// </summary>
    public const int WriterCheckpointPages = 4 * PagesPerCheckpoint;

    private readonly SqliteConnectionFactory _factory;
    private readonly SqliteStoreCounters _counters;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _pagesPending;
    private int _wakeRequested;
    private int _disposed;

    public SqliteCheckpointer(SqliteConnectionFactory factory, SqliteStoreCounters counters)
    {
        _factory = factory;
        _counters = counters;
        // A thread of its own rather than the thread pool: a checkpoint blocks on file writes and a sync for a while.
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpointer" };
        _thread.Start();
    }

    /// <summary>Called by the writer after each commit: counts the pages it appended to the log since the last call.</summary>
    public void Appended(SqliteConnection writer)
    {
        // CACHE_WRITE counts the pages this connection wrote, which in WAL mode are the frames appended to the log;
        // reading it with the reset flag makes each call return the pages since the previous one.
        raw.sqlite3_db_status(writer.Handle, raw.SQLITE_DBSTATUS_CACHE_WRITE, out var pages, out _, 1);
        if (pages > 0
            && Interlocked.Add(ref _pagesPending, pages) >= PagesPerCheckpoint
            && Interlocked.CompareExchange(ref _wakeRequested, 1, 0) == 0)
        {
            _wake.Release();
        }
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                _wake.Wait(_stop.Token);
                Volatile.Write(ref _wakeRequested, 0);
                try
                {
                    connection ??= _factory.Open();
                    Checkpoint(connection);
                }
                catch (SqliteException)
                {
                    // Left for the next wake-up (or the writer's own checkpoint): the frames are safe in the log.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the last connection to close checkpoints the log itself.
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void Checkpoint(SqliteConnection connection)
    {
        var counted = Volatile.Read(ref _pagesPending);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return;
        }

        // One row: whether it was blocked, the frames in the log, the frames now copied into the database.
        var (blocked, frames, copied) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        _counters.Checkpointed(frames);
        if (blocked == 0 && frames == copied)
        {
            // Everything appended before this checkpoint began is in the database; what came during it is still owed.
            Interlocked.Add(ref _pagesPending, -counted);
        }
        else if (Volatile.Read(ref _pagesPending) >= PagesPerCheckpoint && Interlocked.CompareExchange(ref _wakeRequested, 1, 0) == 0)
        {
            // Readers on an old snapshot stopped it short: try again a little later rather than spin.
            Thread.Sleep(50);
            _wake.Release();
        }
    }

    public void Dispose()
    {
        // The store may be disposed more than once (by its owner and by a wrapper): only the first stops the thread.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _wake.Dispose();
    }
}
