using System.Text;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;
using ZstdSharp;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// A store written by the version before the compact table (<see cref="LegacyStoreFile"/>) opens with this version:
/// its rows move into <c>docs</c> once, and every read, write, query and change feed behaves as on a new store, with the
/// ETags and change-feed positions handed out before the move still valid.
/// </summary>
public sealed class SqliteStoreMigrationTests : IDisposable
{
    private const string Widgets = "widgets";
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task Open_OnAStoreOfTheEarlierLayout_MovesItsRowsAndReadsEverything()
    {
        var path = CreateLegacyStore();

        using var store = await OpenAsync(path);

        Assert.Equal(0, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'documents'"));
        Assert.Equal(6, Scalar(path, "SELECT count(*) FROM docs"));
        var profile = await store.ReadAsync<SegmentedItem>(ContainerNames.Profiles, "cp-1", "cp-1");
        Assert.Equal(("alice", LegacyStoreFile.ETag(1)), (profile!.Body.Label, profile.ETag));
        Assert.Equal("compressed", (await store.ReadAsync<TestItem>(ContainerNames.Orders, "o-1", "cp-1"))!.Body.Label);
        Assert.Equal("plain", (await store.ReadAsync<TestItem>(ContainerNames.Orders, "o-2", "cp-1"))!.Body.Label);
        Assert.Equal(new Link("email-abc", "cp-1", "email"), (await store.ReadAsync<Link>(ContainerNames.Identities, "email-abc", "email-abc"))!.Body);
        Assert.Equal("on the shelf", (await store.ReadAsync<TestItem>(Widgets, "w-1", "shelf"))!.Body.Label);

        var orders = await store.ReadPartitionAsync<TestItem>(ContainerNames.Orders, "cp-1", null, 10);
        Assert.Equal(["o-1", "o-2", "o-3"], orders.Documents.Select(d => d.Id));
        Assert.Equal(["cp-1"], (await store.ReadPartitionAsync<SegmentedItem>(ContainerNames.Profiles, "cp-1", null, 10)).Documents.Select(d => d.Id));
        Assert.Equal([("w-1", "shelf")], (await store.ScanAsync<TestItem>(Widgets).ToListAsync()).Select(d => (d.Id, d.PartitionKey)));
        Assert.Equal([("email-abc", "email-abc")], (await store.ScanAsync<Link>(ContainerNames.Identities).ToListAsync()).Select(d => (d.Id, d.PartitionKey)));
        Assert.Equal(["cp-1"], (await store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-1")).Select(d => d.PartitionKey));
        Assert.Equal([new DocumentStamp("o-1", "cp-1", "s1")], await store.FindStampsAsync(ContainerNames.Orders, ["o-1", "o-2"]));
        var rare = await store.QueryArrayContainsAsync<SegmentedItem>(ContainerNames.Profiles, IndexedArrays.ProfileSegments.Property, "rare", null, 10);
        Assert.Equal([("cp-1", "cp-1", LegacyStoreFile.ETag(1))], rare.Select(d => (d.Id, d.PartitionKey, d.ETag)));
        var feed = await store.ReadChangeFeedAsync<TestItem>(ContainerNames.Orders, null, 10);
        Assert.Equal([("o-1", LegacyStoreFile.ETag(2)), ("o-2", LegacyStoreFile.ETag(3)), ("o-3", LegacyStoreFile.ETag(6))], feed.Documents.Select(d => (d.Id, d.ETag)));
    }

    [Fact]
    public async Task Open_OnAStoreOfTheEarlierLayout_KeepsItsETagsAndFeedPositions_AndTakesWrites()
    {
        var path = CreateLegacyStore();
        const string PositionAfterO1 = "2"; // a continuation the earlier version handed out after o-1

        using (var store = await OpenAsync(path))
        {
            var profile = await store.ReadAsync<SegmentedItem>(ContainerNames.Profiles, "cp-1", "cp-1");
            await store.ReplaceAsync(ContainerNames.Profiles, "cp-1", "cp-1", profile!.Body with { Segments = ["top-20"] }, LegacyStoreFile.ETag(1));
            await Assert.ThrowsAsync<DocumentPreconditionFailedException>(() =>
                store.ReplaceAsync(ContainerNames.Orders, "o-2", "cp-1", new TestItem("stale"), LegacyStoreFile.ETag(2)));
            await store.ReplaceAsync(ContainerNames.Orders, "o-2", "cp-1", new TestItem("plain, again"), LegacyStoreFile.ETag(3));
            await Assert.ThrowsAsync<DocumentConflictException>(() =>
                store.CreateAsync(ContainerNames.Identities, "email-abc", "email-abc", new Link("email-abc", "cp-2", "email")));
            await store.UpsertAsync(Widgets, "w-2", "shelf", new TestItem("another"));
            Assert.True(await store.DeleteAsync(ContainerNames.Orders, "o-1", "cp-1"));
            await store.WriteAllAsync([DocumentWrite.Upsert(ContainerNames.Orders, "o-4", "cp-1", new TestItem("stamped")) with { Stamp = "s4" }]);
        }

        using var reopened = await OpenAsync(path);
        var feed = await reopened.ReadChangeFeedAsync<TestItem>(ContainerNames.Orders, PositionAfterO1, 10);
        Assert.Equal(["o-3", "o-2", "o-4"], feed.Documents.Select(d => d.Id));
        Assert.Equal(["w-1", "w-2"], (await reopened.ReadChangeFeedAsync<TestItem>(Widgets, null, 10)).Documents.Select(d => d.Id));
        Assert.Empty(await reopened.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-1"));
        Assert.Equal([new DocumentStamp("o-4", "cp-1", "s4")], await reopened.FindStampsAsync(ContainerNames.Orders, ["o-1", "o-2", "o-4"]));
        Assert.Empty(await reopened.QueryArrayContainsAsync<SegmentedItem>(ContainerNames.Profiles, IndexedArrays.ProfileSegments.Property, "rare", null, 10));
        Assert.Equal(["cp-1"], (await reopened.QueryArrayContainsAsync<SegmentedItem>(ContainerNames.Profiles, IndexedArrays.ProfileSegments.Property, "top-20", null, 10)).Select(d => d.Id));
        Assert.Equal(["o-2", "o-3", "o-4"], (await reopened.ReadPartitionAsync<TestItem>(ContainerNames.Orders, "cp-1", null, 10)).Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task Write_OfADocumentThatStartsWithItsId_StoresTheIdOnce_AndReadsItBack()
    {
        var path = _folder.File("store.db");
        var id = "email-" + new string('a', 64);
        using (var store = await OpenAsync(path))
        {
            await store.CreateAsync(ContainerNames.Identities, id, id, new Link(id, "cp-1", "email"));
            await store.UpsertAsync(ContainerNames.Identities, "quote\"+", "quote\"+", new Link("quote\"+", "cp-2", "phone"));
        }

        // The row holds the id once, as 38 bytes (the word, the dash, the hash's 32 bytes): NULL partition key, a body without it.
        Assert.Equal(1, Scalar(path, "SELECT count(*) FROM docs WHERE typeof(id) = 'blob' AND length(id) = 38 AND pk IS NULL AND hex(substr(body, 1, 1)) = '04'"));
        Assert.Equal(1, Scalar(path, "SELECT count(*) FROM docs WHERE id = 'quote\"+' AND pk IS NULL"));
        using var reopened = await OpenAsync(path);
        Assert.Equal(new Link(id, "cp-1", "email"), (await reopened.ReadAsync<Link>(ContainerNames.Identities, id, id))!.Body);
        Assert.Equal(new Link("quote\"+", "cp-2", "phone"), (await reopened.ReadAsync<Link>(ContainerNames.Identities, "quote\"+", "quote\"+"))!.Body);
        Assert.Equal(2, (await reopened.ScanAsync<Link>(ContainerNames.Identities).ToListAsync()).Count);
    }

    /// <summary>An identity link's shape: a document that starts with its id.</summary>
    private sealed record Link(string Id, string ProfileId, string Kind);

    private string CreateLegacyStore()
    {
        var path = _folder.File("legacy.db");
        LegacyStoreFile.Create(path, LegacyStoreFile.Schema(), """
            INSERT INTO documents VALUES ('profiles', 'cp-1', 'cp-1', '{"label":"alice","segments":["rare"]}', '"0000000000000001"', 1, NULL);
            INSERT INTO array_index VALUES ('profiles', 'segments', 'rare', 'cp-1', 'cp-1');
            INSERT INTO documents VALUES ('orders', 'cp-1', 'o-2', '{"label":"plain","count":2}', '"0000000000000003"', 3, NULL);
            INSERT INTO documents VALUES ('identities', 'email-abc', 'email-abc', '{"id":"email-abc","profileId":"cp-1","kind":"email"}', '"0000000000000004"', 4, NULL);
            INSERT INTO documents VALUES ('widgets', 'shelf', 'w-1', '{"label":"on the shelf"}', '"0000000000000005"', 5, NULL);
            INSERT INTO documents VALUES ('orders', 'cp-1', 'o-3', '{"label":"later"}', '"0000000000000006"', 6, NULL);
            UPDATE sequence SET value = 6 WHERE name = 'writes';
            """);
        // An order compressed against dictionary version 1, as that version wrote orders, with its stamp.
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO documents VALUES ('orders', 'cp-1', 'o-1', $body, '\"0000000000000002\"', 2, 's1')";
        command.Parameters.AddWithValue("$body", CompressedV1("""{"label":"compressed","count":1}"""));
        command.ExecuteNonQuery();
        return path;
    }

    private static byte[] CompressedV1(string json)
    {
        using var compressor = new Compressor(1);
        compressor.LoadDictionary(StoredBodyDictionary.Version1());
        return [StoredBodies.ZstdDictionaryV1, .. compressor.Wrap(Encoding.UTF8.GetBytes(json)).ToArray()];
    }

    private static async Task<SqliteDocumentStore> OpenAsync(string path)
    {
        var store = new SqliteDocumentStore(path);
        await store.InitializeAsync();
        return store;
    }

    private static long Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
