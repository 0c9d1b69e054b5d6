using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// The store's statements are compiled once and re-run with new values. The partial order-id index (its WHERE names
/// the orders' container code) made SQLite compile every statement that binds a container code against the bound value,
/// and compile it again whenever another value was bound: every point read and every write.
/// </summary>
public sealed class SqliteStatementReuseTests : IDisposable
{
    private const int StatusReprepare = 5; // SQLITE_STMTSTATUS_REPREPARE
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task PointRead_BoundWithOneContainerAfterAnother_IsNeverRecompiled()
    {
        var path = _folder.File("store.db");
        using (var store = new SqliteDocumentStore(path))
        {
            await store.InitializeAsync(); // creates the partial index of the orders' ids
            await store.UpsertAsync(ContainerNames.Orders, "o-1", "cp-1", new TestItem("order"));
            await store.UpsertAsync(ContainerNames.Profiles, "cp-1", "cp-1", new TestItem("profile"));
        }

        using var connection = new SqliteConnectionFactory(path).Open();
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(connection.Handle, "SELECT body FROM docs WHERE container = ?1 AND id = ?2", out var statement));
        using (statement)
        {
            var found = 0;
            foreach (var container in new[] { ContainerNames.Orders, ContainerNames.Profiles, ContainerNames.Orders, ContainerNames.Profiles })
            {
                raw.sqlite3_bind_int64(statement, 1, SqliteSchema.KnownCode(container));
                raw.sqlite3_bind_text(statement, 2, container == ContainerNames.Orders ? "o-1" : "cp-1");
                found += raw.sqlite3_step(statement) == raw.SQLITE_ROW ? 1 : 0;
                raw.sqlite3_reset(statement);
            }

            Assert.Equal(4, found);
            Assert.Equal(0, raw.sqlite3_stmt_status(statement, StatusReprepare, 0));
        }
    }

    [Fact]
    public async Task OrderIdLookup_OnTheStoresOwnConnection_StillUsesThePartialIndex()
    {
        // The stability guarantee keeps bound values out of plans; the id lookup names its container's code in its text,
        // so the partial index still serves it (INDEXED BY would fail the statement otherwise).
        var path = _folder.File("store.db");
        using (var store = new SqliteDocumentStore(path))
        {
            await store.InitializeAsync();
        }

        using var connection = new SqliteConnectionFactory(path).Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteIdLookups.Query(ContainerNames.Orders);
        command.Parameters.AddWithValue("$id", "o-1");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, step => step.Contains("USING INDEX docs_orders_by_id", StringComparison.Ordinal));
    }
}
