using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// The embedded store keeps a write's stamp beside the body and finds it by id alone, for many ids at once; a store
/// created before stamps existed opens and starts keeping them.
/// </summary>
public sealed class SqliteDocumentStampTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task FindStamps_ListsTheStampOfEachDocumentsLastWrite_AcrossPartitions()
    {
        using var store = await OpenAsync();
        await store.WriteAllAsync(
        [
            DocumentWrite.Upsert(ContainerNames.Orders, "o-1", "p-1", new TestItem("a")) with { Stamp = "s1" },
            DocumentWrite.Upsert(ContainerNames.Orders, "o-2", "p-2", new TestItem("b")) with { Stamp = "s2" },
            DocumentWrite.Upsert(ContainerNames.Orders, "o-3", "p-2", new TestItem("c")),
        ]);

        var found = await store.FindStampsAsync(ContainerNames.Orders, ["o-1", "o-2", "o-3", "o-missing"]);

        Assert.Equal(
            [new DocumentStamp("o-1", "p-1", "s1"), new DocumentStamp("o-2", "p-2", "s2")],
            found.OrderBy(s => s.Id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindStamps_AfterAWriteWithoutAStamp_FindsNone()
    {
        using var store = await OpenAsync();
        await store.WriteAllAsync([DocumentWrite.Upsert(ContainerNames.Orders, "o-1", "p-1", new TestItem("a")) with { Stamp = "s1" }]);
        await store.WriteAllAsync([DocumentWrite.Upsert(ContainerNames.Orders, "o-2", "p-1", new TestItem("b")) with { Stamp = "s2" }]);

        // A single write (a webhook, a merge moving the order) and a write set without a stamp both clear it.
        await store.UpsertAsync(ContainerNames.Orders, "o-1", "p-1", new TestItem("a2"));
        await store.WriteAllAsync([DocumentWrite.Upsert(ContainerNames.Orders, "o-2", "p-1", new TestItem("b2"))]);

        Assert.Empty(await store.FindStampsAsync(ContainerNames.Orders, ["o-1", "o-2"]));
    }

    [Fact]
    public async Task FindStamps_OnAContainerNotSearchableById_IsRefused()
    {
        using var store = await OpenAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.FindStampsAsync(ContainerNames.Profiles, ["p-1"]));
    }

    [Fact]
    public async Task Initialize_OnAStoreWrittenBeforeStamps_AddsTheColumn_AndKeepsItsDocuments()
    {
        var path = _folder.File("old.db");
        // The documents table as earlier versions created it, with one order in it (a plain JSON body, as they wrote).
        using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = """
                CREATE TABLE documents (container TEXT NOT NULL, pk TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
                    etag TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE (container, pk, id));
                CREATE TABLE sequence (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                INSERT INTO sequence (name, value) VALUES ('writes', 1);
                INSERT INTO documents VALUES ('orders', 'p-1', 'o-1', '{"label":"old","count":0}', '"0000000000000001"', 1);
                """;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        using var store = new SqliteDocumentStore(path);
        await store.InitializeAsync();

        Assert.Equal("old", (await store.ReadAsync<TestItem>(ContainerNames.Orders, "o-1", "p-1"))!.Body.Label);
        Assert.Empty(await store.FindStampsAsync(ContainerNames.Orders, ["o-1"]));
        await store.WriteAllAsync([DocumentWrite.Upsert(ContainerNames.Orders, "o-1", "p-1", new TestItem("new")) with { Stamp = "s" }]);
        Assert.Equal([new DocumentStamp("o-1", "p-1", "s")], await store.FindStampsAsync(ContainerNames.Orders, ["o-1"]));
        await store.InitializeAsync(); // opening again finds the column there
        Assert.Equal("new", (await store.ReadAsync<TestItem>(ContainerNames.Orders, "o-1", "p-1"))!.Body.Label);
    }

    private async Task<SqliteDocumentStore> OpenAsync()
    {
        var store = new SqliteDocumentStore(_folder.File("store.db"));
        await store.InitializeAsync();
        return store;
    }
}
