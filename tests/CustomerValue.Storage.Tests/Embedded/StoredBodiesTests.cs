using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// Bodies compressed against the dictionary: smaller on disk, read back exactly, and mixed freely with plain JSON
/// bodies and bodies compressed against dictionary version 1 written by earlier versions.
/// </summary>
public sealed class StoredBodiesTests : IDisposable
{
    private const string Profile = """{"id":"cp-aa001f20b987dd65667409f5","sourceCustomerIds":[],"emails":[],"phones":["\u002B17733726092"],"loyaltyIds":["loyalty:L20009920"],"firstName":"Mia","lastName":"Davis","firstNameAt":"2023-10-02T15:43:03+00:00","lastNameAt":"2023-10-02T15:43:03+00:00","orderTotals":{"kept":2,"purchases":2,"refundedPurchases":0,"returns":0,"gross":215.41,"refunded":0,"firstPurchaseAt":"2023-10-02T15:43:03+00:00","lastPurchaseAt":"2023-10-27T03:52:30+00:00","channels":[{"channel":"store","purchases":2,"lastPurchaseAt":"2023-10-27T03:52:30+00:00"}],"devices":[{"device":"pos","purchases":2}],"acquisition":{"channel":"store/pos","at":"2023-10-02T15:43:03+00:00","orderKey":"pos:store-nyc:tx:T10000511"},"days":[[20231002,1,1,19.17,0],[20231027,1,1,196.24,0]]},"consent":[],"engagement":{"channels":[],"devices":[]},"segments":[],"merges":[],"createdAt":"2026-12-02T05:24:50.8273502+00:00","updatedAt":"2026-12-02T05:24:50.8273502+00:00","orders":2,"grossRevenue":215.41,"refunds":0,"netRevenue":215.41,"channels":["store"],"devices":["pos"],"firstOrderAt":"2023-10-02T15:43:03+00:00","lastOrderAt":"2023-10-27T03:52:30+00:00","acquisitionChannel":"store/pos"}""";
    private const string Order = """{"orderKey":"pos:store-seattle:tx:T10000001","placedAt":"2023-09-30T23:51:25+00:00","versionAt":"2023-09-30T23:51:25+00:00","gross":12.26,"currency":"USD","channel":"store","device":"pos","acquisitionChannel":"store/pos","storeId":"store-seattle","appliedBy":"imp-c7ef1731467bcc0eb9312d9dc5ae6a6ba029a00e#2"}""";
    private static readonly string Repeated = string.Concat(Enumerable.Repeat("a label that compresses ", 10));
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public void Dictionaries_NeverChange()
    {
        // Every compressed body in every store depends on these exact bytes: a new dictionary is a new version.
        Assert.Equal("d1956ab523354887", Convert.ToHexStringLower(SHA256.HashData(StoredBodyDictionary.Version1()))[..16]);
        Assert.Equal("c2701453b41f74c0", Convert.ToHexStringLower(SHA256.HashData(StoredBodyDictionary.Version2()))[..16]);
    }

    [Fact]
    public void Encode_AnOrder_IsAThirdOfItsJsonAndDecodesToTheSameBytes()
    {
        var json = Encoding.UTF8.GetBytes(Order);

        var stored = StoredBodies.Encode(ContainerNames.Orders, "o-1", json);

        Assert.Equal(StoredBodies.ZstdDictionaryV1, stored[0]);
        Assert.True(stored.Length * 3 < json.Length, $"{stored.Length} bytes stored for {json.Length} bytes of JSON");
        Assert.Equal(Order, StoredBodies.Decode(stored, "o-1", span => Encoding.UTF8.GetString(span)));
    }

    [Fact]
    public void Encode_AProfile_IsAFifthOfItsJson_WithoutItsId_AndDecodesToTheSameBytes()
    {
        var json = Encoding.UTF8.GetBytes(Profile);

        var stored = StoredBodies.Encode(ContainerNames.Profiles, "cp-aa001f20b987dd65667409f5", json);

        Assert.Equal(StoredBodies.ZstdDictionaryV2WithoutId, stored[0]);
        Assert.True(stored.Length * 5 < json.Length, $"{stored.Length} bytes stored for {json.Length} bytes of JSON");
        Assert.Equal(Profile, StoredBodies.Decode(stored, "cp-aa001f20b987dd65667409f5", span => Encoding.UTF8.GetString(span)));
    }

    [Fact]
    public void Encode_ADocumentWhoseIdPropertyIsAnotherId_KeepsIt()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"cp-2","segments":["top-20"],"emails":["a@example.com"],"phones":[],"loyaltyIds":[]}""");

        var stored = StoredBodies.Encode(ContainerNames.Profiles, "cp-1", json);

        Assert.Equal(StoredBodies.ZstdDictionaryV2, stored[0]);
        Assert.Equal(Encoding.UTF8.GetString(json), StoredBodies.Decode(stored, "cp-1", span => Encoding.UTF8.GetString(span)));
    }

    [Fact]
    public void Encode_AnIdentityLink_LeavesItsIdToTheRow()
    {
        const string Id = "email-6a69e1223a05344dbea3a01d5993b7ff40d1b8d07cfa33bdf65f9a679d820faa";
        var json = Encoding.UTF8.GetBytes($$"""{"id":"{{Id}}","profileId":"cp-3f530932ed43b98ad9a81f02","kind":"email"}""");

        var stored = StoredBodies.Encode(ContainerNames.Identities, Id, json);

        // About 45 bytes: what is left is the profile id (with the id, about 85).
        Assert.Equal(StoredBodies.ZstdDictionaryV1WithoutId, stored[0]);
        Assert.True(stored.Length < 48, $"{stored.Length} bytes stored for {json.Length} bytes of JSON");
        Assert.Equal(Encoding.UTF8.GetString(json), StoredBodies.Decode(stored, Id, span => Encoding.UTF8.GetString(span)));
    }

    [Theory]
    [InlineData("imp-c7ef1731467bcc0eb9312d9dc5ae6a6ba029a00e-q2")]
    [InlineData("item_1:a.b")]
    [InlineData("a+b<c>&'d")]
    [InlineData("caf\u00e9 \"quoted\" \\ back")]
    public void Encode_LeavesOutTheIdAsTheSerializerWroteIt_WhateverItsCharacters(string id)
    {
        // The id property is built without the serializer for plain ids: it must be byte for byte what the serializer
        // writes, or the id would stay in the body (plain ids) or be put back wrongly (escaped ones).
        var json = JsonSerializer.SerializeToUtf8Bytes(new { id, label = Repeated }, DocumentJson.Options);

        var stored = StoredBodies.Encode(ContainerNames.Imports, id, json);

        Assert.Equal(StoredBodies.ZstdDictionaryV1WithoutId, stored[0]);
        Assert.Equal(Encoding.UTF8.GetString(json), StoredBodies.Decode(stored, id, span => Encoding.UTF8.GetString(span)));
    }

    [Fact]
    public async Task Store_WithPlainBodiesOfAnEarlierVersion_ReadsBothKindsAndCompressesNewWrites()
    {
        var path = _folder.File("mixed.db");
        LegacyStoreFile.Create(path, LegacyStoreFile.Schema(), """
            INSERT INTO documents (container, pk, id, body, etag, seq) VALUES ('orders', 'p', 'old', '{"label":"text","count":3}', '"00000000000000ff"', 255);
            UPDATE sequence SET value = 255 WHERE name = 'writes';
            """);
        using (var store = await OpenAsync(path))
        {
            await store.CreateAsync(ContainerNames.Orders, "new", "p", new TestItem(Repeated, 1));
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT hex(substr(body, 1, 1)) FROM docs WHERE id = 'new'";
            Assert.Equal("01", command.ExecuteScalar());
        }

        using var reopened = await OpenAsync(path);
        var read = await reopened.ReadManyAsync<TestItem>(ContainerNames.Orders, [new DocumentAddress("old", "p"), new DocumentAddress("new", "p")]);
        var page = await reopened.ReadPartitionAsync<TestItem>(ContainerNames.Orders, "p", null, 10);
        var feed = await reopened.ReadChangeFeedAsync<TestItem>(ContainerNames.Orders, null, 10);

        Assert.Equal([3, 1], read.Select(d => d.Body.Count));
        Assert.Equal(["new", "old"], page.Documents.Select(d => d.Id));
        Assert.Equal(["text", Repeated], feed.Documents.Select(d => d.Body.Label));
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
