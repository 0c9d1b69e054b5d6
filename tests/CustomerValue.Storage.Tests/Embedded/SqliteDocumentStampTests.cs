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
    public async Task MatchStamps_ComparesEachPairInTheQuery_AndListsTheOtherStampsOfThoseNotMatched()
    {
        using var store = await OpenAsync();
        // Orders' real ids (word, dash, hash: stored as blobs) and short text ones, one id held in two partitions.
        var sold = "o-" + new string('a', 40);
        var moved = "o-" + new string('b', 40);
        var restamped = "o-" + new string('c', 40);
        await store.WriteAllAsync(
        [
            DocumentWrite.Upsert(ContainerNames.Orders, sold, "cp-" + new string('1', 24), new TestItem("a")) with { Stamp = "s-sold" },
            DocumentWrite.Upsert(ContainerNames.Orders, moved, "cp-" + new string('2', 24), new TestItem("b")) with { Stamp = "s-old" },
            DocumentWrite.Upsert(ContainerNames.Orders, moved, "cp-" + new string('3', 24), new TestItem("b")) with { Stamp = "s-moved" },
            DocumentWrite.Upsert(ContainerNames.Orders, restamped, "cp-" + new string('1', 24), new TestItem("c")) with { Stamp = "s-then" },
            DocumentWrite.Upsert(ContainerNames.Orders, "o-1", "p-1", new TestItem("d")) with { Stamp = "s1" },
            DocumentWrite.Upsert(ContainerNames.Orders, "o-2", "p-1", new TestItem("e")),
        ]);
        string[] ids = [sold, moved, restamped, "o-1", "o-2", "o-missing", sold];
        string[] stamps = ["s-sold", "s-moved", "s-now", "s1", "s2", "s3", "s-other"];

        var matches = await store.MatchStampsAsync(ContainerNames.Orders, ids, stamps);

        Assert.Equal([true, true, false, true, false, false, false], Enumerable.Range(0, ids.Length).Select(matches.IsMatched));
        Assert.Equal([new OtherStamp(2, "s-then"), new OtherStamp(6, "s-sold")], matches.Others.OrderBy(o => o.Index));

        // The same answer as the stamps listed one by one give (the default every other store uses).
        var listed = StampMatching.Match(ids, stamps, await store.FindStampsAsync(ContainerNames.Orders, [.. ids.Distinct()]));
        Assert.Equal(Enumerable.Range(0, ids.Length).Select(listed.IsMatched), Enumerable.Range(0, ids.Length).Select(matches.IsMatched));
        Assert.Equal(listed.Others.OrderBy(o => o.Index), matches.Others.OrderBy(o => o.Index));
    }

    [Fact]
    public async Task MatchStamps_WithoutPairs_OrWithListsOfDifferentLengths_AnswersOrRefuses()
    {
        using var store = await OpenAsync();

        Assert.Equal(0, (await store.MatchStampsAsync(ContainerNames.Orders, [], [])).Count);
        await Assert.ThrowsAsync<ArgumentException>(() => store.MatchStampsAsync(ContainerNames.Orders, ["o-1"], []));
        await Assert.ThrowsAsync<ArgumentException>(() => store.MatchStampsAsync(ContainerNames.Profiles, ["p-1"], ["s"]));
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
