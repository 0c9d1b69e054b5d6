using CustomerValue.Publishing.Delivery;
using CustomerValue.Storage.Azure.Cosmos;
using CustomerValue.Storage.Tests.Emulators;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// The delivery lease across instances: several app instances (each with its own store over one Cosmos DB database,
/// here the Cosmos-API server of tests/emulators) contend for one destination, and the ETag checks of Cosmos DB let
/// exactly one hold it; a released or expired lease is taken over, and the holder that stalled past it learns so.
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(CosmosEmulatorCollection.Name)]
public sealed class DeliveryLeaseOnCosmosTests(CosmosEmulatorFixture cosmos) : IAsyncLifetime
{
    private readonly string _database = "lease-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<CosmosDocumentStore> _instances = [];

    public async Task InitializeAsync()
    {
        for (var i = 0; i < 4; i++)
        {
            var store = new CosmosDocumentStore(cosmos.Client, cosmos.Options(_database));
            await store.InitializeAsync();
            _instances.Add(store);
        }
    }

    public async Task DisposeAsync()
    {
        await _instances[0].Database.DeleteStreamAsync();
        _instances.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task ConcurrentInstances_ExactlyOneHoldsTheDestination_UntilItReleases()
    {
        var clock = new ManualClock();
        var contenders = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            DeliveryLease.TryAcquireAsync(_instances[i % _instances.Count], clock, "google", "delivery")));

        var holder = Assert.Single(contenders, l => l is not null)!;
        Assert.Null(await DeliveryLease.TryAcquireAsync(_instances[1], clock, "google", "replay"));
        await using (var other = await DeliveryLease.TryAcquireAsync(_instances[1], clock, "meta", "delivery"))
        {
            Assert.NotNull(other); // destinations are independent
        }

        Assert.True(await holder.RenewAsync());
        await holder.DisposeAsync();
        await using var next = await DeliveryLease.TryAcquireAsync(_instances[2], clock, "google", "replay");
        Assert.NotNull(next);
    }

    [Fact]
    public async Task ExpiredLease_IsTakenOver_AndTheStalledHolderCannotRenew()
    {
        var clock = new ManualClock();
        await using var stalled = await DeliveryLease.TryAcquireAsync(_instances[0], clock, "klaviyo", "delivery");
        Assert.NotNull(stalled);

        clock.Advance(DeliveryLease.Duration + TimeSpan.FromSeconds(1));
        await using var successor = await DeliveryLease.TryAcquireAsync(_instances[3], clock, "klaviyo", "delivery");

        Assert.NotNull(successor);
        Assert.False(await stalled.RenewAsync());
        Assert.True(stalled.IsLost);
        Assert.True(await successor.RenewAsync());
    }

    /// <summary>A clock the test moves by hand (the lease's expiry is read from it).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
