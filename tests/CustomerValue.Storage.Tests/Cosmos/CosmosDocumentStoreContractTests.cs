using CustomerValue.Storage.Azure.Cosmos;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Tests.Documents;
using CustomerValue.Storage.Tests.Emulators;

namespace CustomerValue.Storage.Tests.Cosmos;

/// <summary>
/// The store contract against Cosmos DB (the NoSQL API server of tests/emulators): one server for the class, a
/// fresh database per test, created by the store's InitializeAsync and deleted afterwards.
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosDocumentStoreContractTests(CosmosEmulatorFixture emulator) : DocumentStoreContract
{
    protected override async Task<IDocumentStore> CreateStoreAsync()
    {
        var store = new CosmosDocumentStore(emulator.Client, emulator.Options($"contract-{Guid.NewGuid():N}"));
        await store.InitializeAsync();
        return store;
    }

    protected override async Task DisposeStoreAsync(IDocumentStore store)
    {
        var cosmos = (CosmosDocumentStore)store;
        await cosmos.Database.DeleteStreamAsync();
        cosmos.Dispose();
    }

    [Fact]
    public async Task Initialize_CalledTwice_KeepsTheDocuments()
    {
        await Store.CreateAsync(ContainerNames.Profiles, "a", "a", new TestItem("x"));

        await Store.InitializeAsync();

        Assert.NotNull(await Store.ReadAsync<TestItem>(ContainerNames.Profiles, "a", "a"));
    }

    [Fact]
    public async Task ChangeFeed_WithForeignContinuation_IsRejected()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadChangeFeedAsync<TestItem>(ContainerNames.Profiles, "not-a-token", 10));
    }
}
