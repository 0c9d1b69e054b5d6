using System.Reflection;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;

namespace CustomerValue.Functions.Tests;

public sealed class TransientStoreRetriesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-retries-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void EveryStoreOperation_GoesThroughTheRetries_AndTheFaultInjector()
    {
        // A store operation the decorators do not override would reach the store unretried, and untested under faults.
        var operations = typeof(IDocumentStore).GetMethods().Where(m => !m.IsSpecialName && m.Name != nameof(IDocumentStore.InitializeAsync)).Select(Signature).ToList();

        Assert.Empty(operations.Except(Overridden(typeof(TransientStoreRetries))));
        Assert.Empty(operations.Except(Overridden(typeof(FaultInjectingStore))));
    }

    [Fact]
    public async Task PartitionChangeFeed_AfterTwoTimeouts_ReturnsThePage()
    {
        using var sqlite = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await sqlite.InitializeAsync();
        await sqlite.UpsertAsync(ContainerNames.Outbound, "b-1", "google", new QueuedItem("first"));
        await sqlite.UpsertAsync(ContainerNames.Outbound, "b-2", "meta", new QueuedItem("someone else's"));
        var flaky = new TimingOutFeed(sqlite, failures: 2);
        var store = new TransientStoreRetries(flaky, retries: 4, TimeSpan.FromMilliseconds(1));

        var page = await store.ReadPartitionChangeFeedAsync<QueuedItem>(ContainerNames.Outbound, "google", null, 10);

        Assert.Equal(["first"], page.Documents.Select(d => d.Body.Label));
        Assert.Equal(3, flaky.Calls);
    }

    [Fact]
    public async Task Read_ThatThrowsBeforeItsTask_IsRetriedLikeOneThatFailsInIt()
    {
        using var sqlite = await OpenAsync();
        await sqlite.UpsertAsync(ContainerNames.Outbound, "b-1", "google", new QueuedItem("first"));
        var flaky = new FailingReads(sqlite, failures: 2, () => new TimeoutException("The request timed out."), throwBeforeTask: true);
        var store = new TransientStoreRetries(flaky, retries: 4, TimeSpan.FromMilliseconds(1));

        var read = await store.ReadAsync<QueuedItem>(ContainerNames.Outbound, "b-1", "google");

        Assert.Equal("first", read!.Body.Label);
        Assert.Equal(3, flaky.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_ThatKeepsTimingOut_IsTriedOnceAndThenRetriedAsConfigured(bool throwBeforeTask)
    {
        // The first attempt runs outside the pipeline; the pipeline counts it as its own, so the attempts stay 1 + retries.
        using var sqlite = await OpenAsync();
        var flaky = new FailingReads(sqlite, failures: 100, () => new TimeoutException("The request timed out."), throwBeforeTask);
        var store = new TransientStoreRetries(flaky, retries: 2, TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => store.ReadAsync<QueuedItem>(ContainerNames.Outbound, "b-1", "google"));

        Assert.Equal(3, flaky.Calls);
    }

    [Fact]
    public async Task Read_ThatFailsForGood_IsNotRetried_AndItsExceptionReachesTheCaller()
    {
        using var sqlite = await OpenAsync();
        var refusal = new DocumentConflictException(ContainerNames.Outbound, "b-1");
        var flaky = new FailingReads(sqlite, failures: 100, () => refusal, throwBeforeTask: false);
        var store = new TransientStoreRetries(flaky, retries: 4, TimeSpan.FromMilliseconds(1));

        var thrown = await Assert.ThrowsAsync<DocumentConflictException>(() => store.ReadAsync<QueuedItem>(ContainerNames.Outbound, "b-1", "google"));

        Assert.Same(refusal, thrown);
        Assert.Equal(1, flaky.Calls);
    }

    [Fact]
    public async Task Read_WithACanceledToken_NeverReachesTheStore()
    {
        using var sqlite = await OpenAsync();
        var flaky = new FailingReads(sqlite, failures: 0, () => new TimeoutException(), throwBeforeTask: false);
        var store = new TransientStoreRetries(flaky, retries: 4, TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ReadAsync<QueuedItem>(ContainerNames.Outbound, "b-1", "google", new CancellationToken(canceled: true)));

        Assert.Equal(0, flaky.Calls);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static IEnumerable<string> Overridden(Type decorator) =>
        decorator.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(Signature);

    private static string Signature(MethodInfo method) =>
        method.Name + "(" + string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name)) + ")";

    private async Task<SqliteDocumentStore> OpenAsync()
    {
        var sqlite = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await sqlite.InitializeAsync();
        return sqlite;
    }

    private sealed record QueuedItem(string Label);

    /// <summary>Fails the first point reads, throwing before a task exists or through the task it returns.</summary>
    private sealed class FailingReads(IDocumentStore inner, int failures, Func<Exception> failure, bool throwBeforeTask) : DelegatingDocumentStore(inner)
    {
        public int Calls { get; private set; }

        public override Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
        {
            if (++Calls > failures)
            {
                return Inner.ReadAsync<T>(container, id, partitionKey, cancellationToken);
            }

            return throwBeforeTask ? throw failure() : Task.FromException<StoredDocument<T>?>(failure());
        }
    }

    /// <summary>Times out the first calls of the partition feed, as a cloud store does under load.</summary>
    private sealed class TimingOutFeed(IDocumentStore inner, int failures) : DelegatingDocumentStore(inner)
    {
        public int Calls { get; private set; }

        public override Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
            ++Calls <= failures
                ? Task.FromException<ChangeFeedPage<T>>(new TimeoutException("The request timed out."))
                : Inner.ReadPartitionChangeFeedAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken);
    }
}
