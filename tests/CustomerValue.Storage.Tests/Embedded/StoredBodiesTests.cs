using System.Security.Cryptography;
using System.Text;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// Bodies compressed against the dictionary: smaller on disk, read back exactly, and mixed freely with plain JSON
/// bodies written by earlier versions; profiles (indexed arrays) stay plain.
/// </summary>
public sealed class StoredBodiesTests : IDisposable
{
    private const string Order = """{"orderKey":"pos:store-seattle:tx:T10000001","placedAt":"2023-09-30T23:51:25+00:00","versionAt":"2023-09-30T23:51:25+00:00","gross":12.26,"currency":"USD","channel":"store","device":"pos","acquisitionChannel":"store/pos","storeId":"store-seattle","appliedBy":"imp-c7ef1731467bcc0eb9312d9dc5ae6a6ba029a00e#2"}""";
    private static readonly string Repeated = string.Concat(Enumerable.Repeat("a label that compresses ", 10));
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public void DictionaryVersion1_NeverChanges()
    {
        // Every compressed body in every store depends on these exact bytes: a new dictionary is a new version.
        Assert.Equal("d1956ab523354887", Convert.ToHexStringLower(SHA256.HashData(StoredBodyDictionary.Version1()))[..16]);
    }

    [Fact]
    public void Encode_AnOrder_IsAThirdOfItsJsonAndDecodesToTheSameBytes()
    {
        var json = Encoding.UTF8.GetBytes(Order);

        var stored = StoredBodies.Encode(ContainerNames.Orders, json);

        Assert.Equal(StoredBodies.ZstdDictionaryV1, stored[0]);
        Assert.True(stored.Length * 3 < json.Length, $"{stored.Length} bytes stored for {json.Length} bytes of JSON");
        Assert.Equal(Order, StoredBodies.Decode(stored, span => Encoding.UTF8.GetString(span)));
    }

    [Fact]
    public void Encode_AProfile_StaysPlainJsonForTheArrayIndex()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"cp-1","segments":["top-20"],"emails":["a@example.com"]}""");

        Assert.Same(json, StoredBodies.Encode(ContainerNames.Profiles, json));
    }

    [Fact]
    public async Task Store_WithPlainBodiesOfAnEarlierVersion_ReadsBothKindsAndCompressesNewWrites()
    {
        var path = _folder.File("mixed.db");
        using (var store = await OpenAsync(path))
        {
            await store.CreateAsync(ContainerNames.Orders, "new", "p", new TestItem(Repeated, 1));
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """INSERT INTO documents (container, pk, id, body, etag, seq) VALUES ('orders', 'p', 'old', '{"label":"text","count":3}', '"00000000000000ff"', 255)""";
            command.ExecuteNonQuery();
            command.CommandText = "SELECT hex(substr(body, 1, 1)) FROM documents WHERE id = 'new'";
            Assert.Equal("01", command.ExecuteScalar());
        }

        using var reopened = await OpenAsync(path);
        var read = await reopened.ReadManyAsync<TestItem>(ContainerNames.Orders, [new DocumentAddress("old", "p"), new DocumentAddress("new", "p")]);
        var page = await reopened.ReadPartitionAsync<TestItem>(ContainerNames.Orders, "p", null, 10);
        var feed = await reopened.ReadChangeFeedAsync<TestItem>(ContainerNames.Orders, null, 10);

        Assert.Equal([3, 1], read.Select(d => d.Body.Count));
        Assert.Equal(["new", "old"], page.Documents.Select(d => d.Id));
        Assert.Equal([Repeated, "text"], feed.Documents.Select(d => d.Body.Label));
        await reopened.ReplaceAsync(ContainerNames.Orders, "old", "p", read[0].Body with { Count = 4 }, read[0].ETag);
        Assert.Equal(4, (await reopened.ReadAsync<TestItem>(ContainerNames.Orders, "old", "p"))!.Body.Count);
    }

    private static async Task<SqliteDocumentStore> OpenAsync(string path)
    {
        var store = new SqliteDocumentStore(path);
        await store.InitializeAsync();
        return store;
    }
}
