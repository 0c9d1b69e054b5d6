using CustomerValue.Publishing.Delivery;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;

namespace CustomerValue.Publishing.Tests.Delivery;

/// <summary>
/// A lease write whose answer is lost (the store applied it, the call failed, and the retry then collided with the
/// write itself) must not leave a lease that nobody holds: until it expired, every delivery round of the destination
/// would find it taken and deliver nothing.
/// </summary>
public sealed class DeliveryLeaseTests
{
    private const string Destination = "webhook";

    [Fact]
    public async Task TryAcquire_WhenTheCreatesAnswerIsLost_HoldsTheLeaseAndFreesItAfterwards()
    {
        await using var p = await ResolverHarness.CreateAsync();
        var store = new LostAnswerStore(p.Store) { LoseNext = LostAnswerStore.Operation.Create };

        var lease = await DeliveryLease.TryAcquireAsync(store, p.Clock, Destination, "delivery");

        Assert.NotNull(lease);
        Assert.Null(await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "replay"));
        await lease.DisposeAsync();
        await using var next = await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "replay");
        Assert.NotNull(next);
    }

    [Fact]
    public async Task TryAcquire_WhenTheTakeoverOfAnExpiredLeaseLosesItsAnswer_HoldsTheLease()
    {
        await using var p = await ResolverHarness.CreateAsync();
        var first = await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "delivery");
        await first!.DisposeAsync();
        var store = new LostAnswerStore(p.Store) { LoseNext = LostAnswerStore.Operation.Replace };

        await using var lease = await DeliveryLease.TryAcquireAsync(store, p.Clock, Destination, "delivery");

        Assert.NotNull(lease);
        Assert.Null(await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "replay"));
    }

    [Fact]
    public async Task Renew_WhenItsAnswerIsLost_KeepsTheLease()
    {
        await using var p = await ResolverHarness.CreateAsync();
        var store = new LostAnswerStore(p.Store);
        await using var lease = await DeliveryLease.TryAcquireAsync(store, p.Clock, Destination, "delivery");
        store.LoseNext = LostAnswerStore.Operation.Replace;

        Assert.True(await lease!.RenewAsync());
        Assert.False(lease.IsLost);
        Assert.True(await lease.RenewAsync());
    }

    [Fact]
    public async Task Dispose_AfterTheLeaseWasTakenOver_LeavesTheNewHolderAlone()
    {
        await using var p = await ResolverHarness.CreateAsync();
        var stalled = await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "delivery");
        p.Clock.Advance(DeliveryLease.Duration + TimeSpan.FromSeconds(1));
        await using var taker = await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "delivery");
        Assert.NotNull(taker);

        Assert.False(await stalled!.RenewAsync());
        await stalled.DisposeAsync();

        Assert.Null(await DeliveryLease.TryAcquireAsync(p.Store, p.Clock, Destination, "replay"));
    }

    /// <summary>Applies the next chosen write, then fails it as a retried call that collided with itself would.</summary>
    private sealed class LostAnswerStore(IDocumentStore inner) : DelegatingDocumentStore(inner)
    {
        public enum Operation
        {
            None,
            Create,
            Replace,
        }

        public Operation LoseNext { get; set; }

        public override async Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default)
        {
            var created = await Inner.CreateAsync(container, id, partitionKey, body, cancellationToken);
            return Take(Operation.Create) ? throw new DocumentConflictException(container, id) : created;
        }

        public override async Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default)
        {
            var replaced = await Inner.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken);
            return Take(Operation.Replace) ? throw new DocumentPreconditionFailedException(container, id) : replaced;
        }

        private bool Take(Operation operation)
        {
            if (LoseNext != operation)
            {
                return false;
            }

            LoseNext = Operation.None;
            return true;
        }
    }
}
