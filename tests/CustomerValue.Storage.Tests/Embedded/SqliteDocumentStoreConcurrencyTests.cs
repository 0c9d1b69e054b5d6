using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// What group commit and the open-connection pools must not change: concurrent writes committed together keep their
/// own ETag checks, sequence numbers and change-feed order, and databases written by earlier versions (bodies stored
/// as text) stay readable.
/// </summary>
public sealed class SqliteDocumentStoreConcurrencyTests : IDisposable
{
    private const string Container = ContainerNames.Profiles;
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task ConcurrentCreates_OfOneId_ExactlyOneWinsAndTheOthersConflict()
    {
        using var store = await OpenAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CreateAsync(Container, "same", "same", new TestItem($"writer {i}"));
                return true;
            }
            catch (DocumentConflictException)
            {
                return false;
            }
        })));

        Assert.Single(attempts, won => won);
        Assert.Equal(63L, store.Statistics.FailedWrites);
    }

    [Fact]
    public async Task ConcurrentReplaces_WithOneETag_ExactlyOneWinsAndTheOthersFailThePrecondition()
    {
        using var store = await OpenAsync();
        var original = await store.CreateAsync(Container, "doc", "doc", new TestItem("v1"));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            try
            {
                return await store.ReplaceAsync(Container, "doc", "doc", new TestItem($"v2 by {i}"), original.ETag);
            }
            catch (DocumentPreconditionFailedException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(attempts, a => a is not null)!;
        var current = await store.ReadAsync<TestItem>(Container, "doc", "doc");
        Assert.Equal(winner.Body, current!.Body);
        Assert.Equal(winner.ETag, current.ETag);
    }

    [Fact]
    public async Task ConcurrentWrites_GetDistinctETagsAndTheChangeFeedListsThemInCommitOrder()
    {
        using var store = await OpenAsync();

        var written = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() =>
            store.UpsertAsync(Container, $"doc-{i}", $"doc-{i}", new TestItem("x", i)))));
        var feed = await store.ReadChangeFeedAsync<TestItem>(Container, null, 1000);

        Assert.Equal(500, written.Select(w => w.ETag).Distinct().Count());
        Assert.Equal(written.Select(w => w.Id).Order(), feed.Documents.Select(d => d.Id).Order());
        // The feed's order is the ETag (sequence) order, and each document carries the ETag its writer was given.
        Assert.Equal(feed.Documents.Select(d => d.ETag).Order(StringComparer.Ordinal), feed.Documents.Select(d => d.ETag));
        var byId = written.ToDictionary(w => w.Id, w => w.ETag);
        Assert.All(feed.Documents, d => Assert.Equal(byId[d.Id], d.ETag));
        Assert.Empty((await store.ReadChangeFeedAsync<TestItem>(Container, feed.Continuation, 1000)).Documents);
    }

    [Fact]
    public async Task ConcurrentOptimisticIncrements_OnFewDocuments_LoseNoUpdate()
    {
        using var store = await OpenAsync();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            store.UpdateAsync<TestItem>(Container, $"counter-{i % 4}", $"counter-{i % 4}", c => (c ?? new TestItem("c")) with { Count = (c?.Count ?? 0) + 1 }))));

        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(50, (await store.ReadAsync<TestItem>(Container, $"counter-{k}", $"counter-{k}"))!.Body.Count);
        }
    }

    [Fact]
    public async Task Read_OfBodyStoredAsTextByAnEarlierVersion_ReturnsTheDocument()
    {
        var path = _folder.File("legacy.db");
        LegacyStoreFile.Create(path, LegacyStoreFile.Schema(), """
            INSERT INTO documents (container, pk, id, body, etag, seq) VALUES ('profiles', 'old', 'old', '{"label":"text","count":3}', '"00000000000000ff"', 255);
            UPDATE sequence SET value = 255 WHERE name = 'writes';
            """);
        using (var store = await OpenAsync(path))
        {
            await store.CreateAsync(Container, "new", "new", new TestItem("blob"));
        }

        using var reopened = await OpenAsync(path);
        var old = await reopened.ReadAsync<TestItem>(Container, "old", "old");
        var scanned = await reopened.ScanAsync<TestItem>(Container).ToListAsync();

        Assert.Equal(new TestItem("text", 3), old!.Body);
        Assert.Equal("\"00000000000000ff\"", old.ETag);
        Assert.Equal(["blob", "text"], scanned.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => d.Body.Label));
        var replaced = await reopened.ReplaceAsync(Container, "old", "old", old.Body with { Count = 4 }, old.ETag);
        Assert.Equal(4, (await reopened.ReadAsync<TestItem>(Container, "old", "old"))!.Body.Count);
        Assert.NotEqual(old.ETag, replaced.ETag);
    }

    [Fact]
    public async Task Write_AfterDispose_Fails()
    {
        var store = await OpenAsync();
        store.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.UpsertAsync(Container, "a", "a", new TestItem("x")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAsync<TestItem>(Container, "a", "a"));
    }

    [Fact]
    public async Task ConcurrentReadMany_WhileWritersCommit_EachSeesEveryDocument_AndConnectionsComeBackClean()
    {
        using var store = await OpenAsync();
        var addresses = Enumerable.Range(0, 50).Select(i => new DocumentAddress($"d{i}", $"p{i % 5}")).ToList();
        foreach (var address in addresses)
        {
            await store.UpsertAsync(Container, address.Id, address.PartitionKey, new TestItem(address.Id));
        }

        // More readers than the pool keeps idle, so connections are handed on and closed while others are mid-read: a
        // read transaction must end before its connection goes back.
        var readers = Enumerable.Range(0, 48).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < 40; round++)
            {
                var found = await store.ReadManyAsync<TestItem>(Container, addresses);
                Assert.Equal(addresses.Count, found.Count);
            }
        }));
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await store.UpsertAsync(Container, $"w{i}", "w", new TestItem("writer", i));
            }
        });
        await Task.WhenAll([.. readers, writer]);

        Assert.Equal(addresses.Count, (await store.ReadManyAsync<TestItem>(Container, addresses)).Count);
    }

    private async Task<SqliteDocumentStore> OpenAsync(string? path = null)
    {
        var store = new SqliteDocumentStore(path ?? _folder.File("store.db"));
        await store.InitializeAsync();
        return store;
    }
}
