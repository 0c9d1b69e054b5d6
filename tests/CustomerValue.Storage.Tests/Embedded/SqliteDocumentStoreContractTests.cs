using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>The store contract against the embedded SQLite store, one temporary database file per test.</summary>
public sealed class SqliteDocumentStoreContractTests : DocumentStoreContract, IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override async Task<IDocumentStore> CreateStoreAsync()
    {
        var store = new SqliteDocumentStore(_folder.File("store.db"));
        await store.InitializeAsync();
        return store;
    }

    protected override Task DisposeStoreAsync(IDocumentStore store)
    {
        ((SqliteDocumentStore)store).Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WriteAll_WhenALaterWriteIsRefused_UndoesTheEarlierOnesToo()
    {
        await Store.CreateAsync(ContainerNames.Orders, "o-1", "p", new TestItem("held"));
        var before = await Store.ReadChangeFeedAsync<TestItem>(ContainerNames.Orders, null, 10);

        await Assert.ThrowsAsync<DocumentConflictException>(() => Store.WriteAllAsync(
        [
            DocumentWrite.Create(ContainerNames.Profiles, "p", "p", new TestItem("profile")),
            DocumentWrite.Create(ContainerNames.Orders, "o-1", "p", new TestItem("clash")),
        ]));

        Assert.Null(await Store.ReadAsync<TestItem>(ContainerNames.Profiles, "p", "p"));
        Assert.Equal("held", (await Store.ReadAsync<TestItem>(ContainerNames.Orders, "o-1", "p"))!.Body.Label);
        // Nothing was written, so a later write takes the next sequence number as if the set had never been tried.
        await Store.UpsertAsync(ContainerNames.Orders, "o-2", "p", new TestItem("next"));
        Assert.Equal(["o-2"], (await Store.ReadChangeFeedAsync<TestItem>(ContainerNames.Orders, before.Continuation, 10)).Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task Initialize_CalledTwice_KeepsTheDocuments()
    {
        await Store.CreateAsync(ContainerNames.Profiles, "a", "a", new TestItem("x"));

        await Store.InitializeAsync();

        Assert.NotNull(await Store.ReadAsync<TestItem>(ContainerNames.Profiles, "a", "a"));
    }

    [Fact]
    public async Task Reopen_OnTheSameFile_SeesDocumentsAndContinuesTheChangeFeed()
    {
        await Store.CreateAsync(ContainerNames.Profiles, "a", "a", new TestItem("x"));
        var first = await Store.ReadChangeFeedAsync<TestItem>(ContainerNames.Profiles, null, 10);

        using var reopened = new SqliteDocumentStore(((SqliteDocumentStore)Store).DatabasePath);
        await reopened.InitializeAsync();
        await reopened.CreateAsync(ContainerNames.Profiles, "b", "b", new TestItem("y"));

        Assert.NotNull(await reopened.ReadAsync<TestItem>(ContainerNames.Profiles, "a", "a"));
        Assert.Equal(["b"], (await reopened.ReadChangeFeedAsync<TestItem>(ContainerNames.Profiles, first.Continuation, 10)).Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task ChangeFeed_WithForeignContinuation_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ReadChangeFeedAsync<TestItem>(ContainerNames.Profiles, "not-a-token", 10));
    }

    [Fact]
    public async Task Initialize_OnAStoreWhoseIndexWasKeptByTriggers_DropsThem_AndWritesStillKeepTheIndexOnce()
    {
        // An earlier version kept the index with triggers on the documents table; one of them, as it was.
        var path = _folder.File("triggers.db");
        LegacyStoreFile.Create(path, LegacyStoreFile.Schema(), """
            CREATE TRIGGER array_index_profiles_segments_insert AFTER INSERT ON documents WHEN new.container = 'profiles'
            BEGIN
                INSERT OR IGNORE INTO array_index (container, property, value, id, pk)
                SELECT new.container, 'segments', e.value, new.id, new.pk
                FROM json_each(CAST(new.body AS TEXT), '$.segments') AS e WHERE e.type = 'text';
            END;
            INSERT INTO documents VALUES ('profiles', 'a', 'a', '{"label":"a","segments":["rare"]}', '"0000000000000001"', 1, NULL);
            UPDATE sequence SET value = 1 WHERE name = 'writes';
            """);

        using var reopened = new SqliteDocumentStore(path);
        await reopened.InitializeAsync();
        await reopened.CreateAsync(ContainerNames.Profiles, "b", "b", new SegmentedItem("b", ["rare"]));
        await reopened.DeleteAsync(ContainerNames.Profiles, "a", "a");

        Assert.Equal(0, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"));
        Assert.Equal(1, Scalar(path, "SELECT count(*) FROM array_index"));
        var members = await reopened.QueryArrayContainsAsync<SegmentedItem>(ContainerNames.Profiles, IndexedArrays.ProfileSegments.Property, "rare", null, 10);
        Assert.Equal(["b"], members.Select(d => d.Id));
    }

    [Fact]
    public async Task WriteAll_RefusedAfterIndexedWrites_RollsTheirIndexRowsBack()
    {
        var a = await Store.CreateAsync(ContainerNames.Profiles, "a", "a", new SegmentedItem("a", ["rare"]));
        await Store.ReplaceAsync(ContainerNames.Profiles, "a", "a", new SegmentedItem("a", ["rare", "top-20"]), a.ETag);

        // On this store a set is one transaction: the refusal at its end (a is gone by then) undoes the index rows
        // written and deleted before it.
        await Assert.ThrowsAsync<DocumentNotFoundException>(() => Store.WriteAllAsync(
        [
            DocumentWrite.Upsert(ContainerNames.Profiles, "b", "b", new SegmentedItem("b", ["rare"])),
            DocumentWrite.Delete(ContainerNames.Profiles, "a", "a"),
            DocumentWrite.Replace(ContainerNames.Profiles, "a", "a", new SegmentedItem("a", ["dormant"]), a.ETag),
        ]));

        var rare = await Store.QueryArrayContainsAsync<SegmentedItem>(ContainerNames.Profiles, IndexedArrays.ProfileSegments.Property, "rare", null, 10);
        Assert.Equal(["a"], rare.Select(d => d.Id));
        Assert.Equal(2, Scalar(((SqliteDocumentStore)Store).DatabasePath, "SELECT count(*) FROM array_index"));
    }

    private static long Scalar(string path, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + path);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Initialize_OnAStoreWrittenBeforeTheArrayIndex_FillsTheIndexOnce()
    {
        // What a store of an older version holds: its documents (profiles as plain JSON), no index table.
        var path = _folder.File("before-index.db");
        LegacyStoreFile.Create(path, LegacyStoreFile.Schema(), """
            DROP TABLE array_index;
            DELETE FROM sequence WHERE name = 'array_index_profiles_segments';
            INSERT INTO documents VALUES ('profiles', 'cp-000000aa', 'cp-000000aa', '{"label":"a","segments":["rare"]}', '"0000000000000001"', 1, NULL);
            INSERT INTO documents VALUES ('profiles', 'b', 'b', '{"label":"b","segments":["top-20"]}', '"0000000000000002"', 2, NULL);
            UPDATE sequence SET value = 2 WHERE name = 'writes';
            """);

        using var reopened = new SqliteDocumentStore(path);
        await reopened.InitializeAsync();
        await reopened.InitializeAsync();
        await reopened.CreateAsync(ContainerNames.Profiles, "c", "c", new SegmentedItem("c", ["rare"]));

        var members = await reopened.QueryArrayContainsAsync<SegmentedItem>(ContainerNames.Profiles, IndexedArrays.ProfileSegments.Property, "rare", null, 10);
        // Ids in the text order the index keeps ("cp-000000aa" is stored as a blob in the documents table).
        Assert.Equal(["c", "cp-000000aa"], members.Select(d => d.Id));
        Assert.Equal("a", members[1].Body.Label);
    }
}
