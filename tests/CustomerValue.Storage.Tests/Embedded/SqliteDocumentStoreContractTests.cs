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
}
