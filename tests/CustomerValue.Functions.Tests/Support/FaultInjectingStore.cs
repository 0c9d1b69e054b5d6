using System.Runtime.CompilerServices;
using CustomerValue.Functions.Configuration;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests.Support;

/// <summary>
/// The real store behind a layer that fails a share of calls the way a cloud store does: a timeout before the
/// operation reaches the store, or — the harder case — after a write has been applied, so the caller sees an error
/// for a write that happened. Seeded, so a failing run can be repeated. Off until <see cref="Enabled"/> is set.
/// </summary>
public sealed class FaultInjectingStore(IDocumentStore inner, double rate, int seed) : DelegatingDocumentStore(inner), IDisposable
{
    private readonly Random _random = new(seed);
    private int _injected;

    /// <summary>The share of calls that fail (a write fails before or after it is applied, each half as often).</summary>
    public double Rate { get; set; } = rate;

    /// <summary>Whether faults are injected now.</summary>
    public bool Enabled { get; set; }

    /// <summary>How many calls failed on purpose so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>
    /// Puts this layer around the app's store implementation (the registration under
    /// <see cref="ServiceRegistration.StoreBackendKey"/>), beneath the app's retries of transient failures, as a cloud
    /// store's own failures would be.
    /// </summary>
    public static void Wrap(IServiceCollection services, double rate, int seed)
    {
        var original = services.Last(d => d.ServiceType == typeof(IDocumentStore) && d.IsKeyedService && Equals(d.ServiceKey, ServiceRegistration.StoreBackendKey));
        services.Remove(original);
        services.AddSingleton(sp => new FaultInjectingStore(original.KeyedImplementationFactory!(sp, ServiceRegistration.StoreBackendKey) as IDocumentStore
            ?? throw new InvalidOperationException("The store backend is not registered by a factory."), rate, seed));
        services.AddKeyedSingleton<IDocumentStore>(ServiceRegistration.StoreBackendKey, (sp, _) => sp.GetRequiredService<FaultInjectingStore>());
    }

    public override async Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(ReadAsync), "timed out", Rate);
        return await Inner.ReadAsync<T>(container, id, partitionKey, cancellationToken);
    }

    public override async Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default)
    {
        Before(nameof(CreateAsync));
        var created = await Inner.CreateAsync(container, id, partitionKey, body, cancellationToken);
        After(nameof(CreateAsync));
        return created;
    }

    public override async Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default)
    {
        Before(nameof(ReplaceAsync));
        var replaced = await Inner.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken);
        After(nameof(ReplaceAsync));
        return replaced;
    }

    public override async Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default)
    {
        Before(nameof(UpsertAsync));
        var upserted = await Inner.UpsertAsync(container, id, partitionKey, body, cancellationToken);
        After(nameof(UpsertAsync));
        return upserted;
    }

    public override async Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
    {
        Before(nameof(DeleteAsync));
        bool deleted = await Inner.DeleteAsync(container, id, partitionKey, cancellationToken);
        After(nameof(DeleteAsync));
        return deleted;
    }

    public override async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(ScanAsync), "timed out", Rate);
        await foreach (var document in Inner.ScanAsync<T>(container, cancellationToken))
        {
            yield return document;
        }
    }

    public override Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(ReadChangeFeedAsync), "timed out", Rate);
        return Inner.ReadChangeFeedAsync<T>(container, continuation, maxItems, cancellationToken);
    }

    public override Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(ReadPartitionChangeFeedAsync), "timed out", Rate);
        return Inner.ReadPartitionChangeFeedAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken);
    }

    public override async Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(ReadManyAsync), "timed out", Rate);
        return await Inner.ReadManyAsync<T>(container, addresses, cancellationToken);
    }

    public override async Task<DocumentPage<T>> ReadPartitionAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(ReadPartitionAsync), "timed out", Rate);
        return await Inner.ReadPartitionAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken);
    }

    public override async Task<IReadOnlyList<StoredDocument<T>>> QueryArrayContainsAsync<T>(string container, string property, string value, string? afterId, int maxItems, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(QueryArrayContainsAsync), "timed out", Rate);
        return await Inner.QueryArrayContainsAsync<T>(container, property, value, afterId, maxItems, cancellationToken);
    }

    public override async Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(FindByIdAsync), "timed out", Rate);
        return await Inner.FindByIdAsync<T>(container, id, cancellationToken);
    }

    public override async Task<IReadOnlyList<DocumentStamp>> FindStampsAsync(string container, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(FindStampsAsync), "timed out", Rate);
        return await Inner.FindStampsAsync(container, ids, cancellationToken);
    }

    public override async Task<StampMatches> MatchStampsAsync(string container, IReadOnlyList<string> ids, IReadOnlyList<string> stamps, CancellationToken cancellationToken = default)
    {
        MaybeFail(nameof(MatchStampsAsync), "timed out", Rate);
        return await Inner.MatchStampsAsync(container, ids, stamps, cancellationToken);
    }

    public override async Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        Before(nameof(WriteAllAsync));
        var etags = await Inner.WriteAllAsync(writes, cancellationToken);
        After(nameof(WriteAllAsync));
        return etags;
    }

    public void Dispose() => (Inner as IDisposable)?.Dispose();

    // A write fails before or after it is applied, each half as often, so that it fails at the given rate in all.
    private void Before(string operation) => MaybeFail(operation, "timed out before reaching the store", Rate / 2);

    private void After(string operation) => MaybeFail(operation, "timed out after the store applied it", Rate / 2);

    private void MaybeFail(string operation, string what, double probability)
    {
        bool fail;
        lock (_random)
        {
            fail = Enabled && _random.NextDouble() < probability;
        }

        if (fail)
        {
            Interlocked.Increment(ref _injected);
            throw new TimeoutException($"Injected fault: {operation} {what}.");
        }
    }
}
