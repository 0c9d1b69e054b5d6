using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CustomerValue.Storage.Azure.Cosmos;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Tests.Documents;
using CustomerValue.Storage.Tests.Emulators;
using Microsoft.Azure.Cosmos;
using Xunit.Abstractions;

namespace CustomerValue.Storage.Tests.Cosmos;

/// <summary>
/// What the Cosmos DB store does beyond the shared contract: the stored shape, SDK queries through the app's
/// serializer, 429 handling, configuration, and the change feed processor of local mode (throughput: the stores benchmark).
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(CosmosEmulatorCollection.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes through IAsyncLifetime.DisposeAsync.")]
public sealed class CosmosDocumentStoreTests(CosmosEmulatorFixture emulator) : IAsyncLifetime
{
    private CosmosDocumentStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new CosmosDocumentStore(emulator.Client, emulator.Options($"store-{Guid.NewGuid():N}"));
        await _store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        emulator.Intercept = null;
        await _store.Database.DeleteStreamAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Documents_AreStoredWithIdAndPk_AndReadBackWithoutSystemProperties()
    {
        await _store.CreateAsync(ContainerNames.Identities, "email-x", "person-1", new TestItem("x", 3));

        using var raw = await _store.Database.GetContainer(ContainerNames.Identities).ReadItemStreamAsync("email-x", new PartitionKey("person-1"));
        using var stored = await JsonDocument.ParseAsync(raw.Content);
        var element = await _store.ReadAsync<JsonElement>(ContainerNames.Identities, "email-x", "person-1");

        Assert.Equal("email-x", stored.RootElement.GetProperty("id").GetString());
        Assert.Equal("person-1", stored.RootElement.GetProperty("pk").GetString());
        Assert.Equal("x", stored.RootElement.GetProperty("label").GetString());
        Assert.Equal(["count", "id", "label"], element!.Body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Write_WhoseBodyCarriesAnotherId_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.CreateAsync(ContainerNames.Profiles, "a", "a", new { Id = "b" }));
        Assert.Null(await _store.ReadAsync<TestItem>(ContainerNames.Profiles, "a", "a"));
    }

    [Fact]
    public async Task Leases_ArePartitionedOnId_SoAPartitionKeyOtherThanTheIdIsRejected()
    {
        await _store.CreateAsync(ContainerNames.Leases, "lease", "lease", new TestItem("x"));

        await Assert.ThrowsAsync<ArgumentException>(() => _store.CreateAsync(ContainerNames.Leases, "other", "not-the-id", new TestItem("x")));
        Assert.NotNull(await _store.ReadAsync<TestItem>(ContainerNames.Leases, "lease", "lease"));
    }

    [Fact]
    public async Task SdkQueries_WithParameters_UseTheAppSerializerAndThePartitionKey()
    {
        for (var i = 0; i < 12; i++)
        {
            await _store.CreateAsync(ContainerNames.Profiles, $"d{i:D2}", $"pk-{i % 3}", new TestItem($"label-{i % 2}", i));
        }

        var container = _store.Database.GetContainer(ContainerNames.Profiles);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.label = @label ORDER BY c.count DESC").WithParameter("@label", "label-1");
        var crossPartition = await ReadAllAsync(container.GetItemQueryIterator<TestItem>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 4 }));
        var onePartition = await ReadAllAsync(container.GetItemQueryIterator<TestItem>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("pk-0") }));
        var count = await ReadAllAsync(container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c"));
        var top = await ReadAllAsync(container.GetItemQueryIterator<TestItem>("SELECT * FROM c ORDER BY c.count OFFSET 2 LIMIT 3"));

        Assert.Equal([11, 9, 7, 5, 3, 1], crossPartition.Select(i => i.Count));
        Assert.Equal([9, 3], onePartition.Select(i => i.Count));
        Assert.Equal([12], count);
        Assert.Equal([2, 3, 4], top.Select(i => i.Count));
    }

    [Fact]
    public async Task Throttling_IsRetriedAfterTheServersRetryAfter()
    {
        var throttled = 0;
        emulator.Intercept = request =>
        {
            if (request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("/docs", StringComparison.Ordinal)
                || Interlocked.Increment(ref throttled) > 2)
            {
                return null;
            }

            var response = new HttpResponseMessage((HttpStatusCode)429)
            {
                Content = new StringContent("""{"code":"TooManyRequests","message":"Request rate is large."}""", Encoding.UTF8, "application/json"),
            };
            response.Headers.Add("x-ms-retry-after-ms", "200");
            response.Headers.Add("x-ms-substatus", "3200");
            response.Headers.Add("x-ms-activity-id", Guid.NewGuid().ToString());
            return response;
        };

        var created = await _store.CreateAsync(ContainerNames.Profiles, "a", "a", new TestItem("after 429s"));
        emulator.Intercept = null;

        Assert.Equal(3, throttled);
        Assert.Equal(created.ETag, (await _store.ReadAsync<TestItem>(ContainerNames.Profiles, "a", "a"))!.ETag);
    }

    [Fact]
    public async Task Initialize_WithoutCreateIfMissing_ExplainsAMissingContainer()
    {
        using var store = new CosmosDocumentStore(emulator.Client, emulator.Options($"missing-{Guid.NewGuid():N}") with { CreateIfMissing = false });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_WithoutCreateIfMissing_AcceptsExistingContainers()
    {
        using var store = new CosmosDocumentStore(emulator.Client, emulator.Options(_store.Database.Id) with { CreateIfMissing = false });

        await store.InitializeAsync();

        // The containers it found are the ones it uses: a write through it is read back through the creating store.
        await store.CreateAsync(ContainerNames.Profiles, "existing", "existing", new TestItem("seen"));
        Assert.Equal("seen", (await _store.ReadAsync<TestItem>(ContainerNames.Profiles, "existing", "existing"))!.Body.Label);
    }

    [Fact]
    public void Options_FromSettings_ReadKeyAndIdentityConnectionsAndHideTheKey()
    {
        var key = CosmosStoreOptions.FromSettings(name => name == "CosmosDb" ? $"AccountEndpoint=https://acct.documents.azure.com:443/;AccountKey={CosmosEmulatorFixture.Key};" : null)!;
        var identity = CosmosStoreOptions.FromSettings(name => name == "CosmosDb__accountEndpoint" ? "https://acct.documents.azure.com:443/" : null)!;

        Assert.Equal(CosmosEmulatorFixture.Key, key.Key);
        Assert.Null(identity.Key);
        Assert.Equal(new Uri("https://acct.documents.azure.com:443/"), identity.Endpoint);
        Assert.Null(CosmosStoreOptions.FromSettings(_ => null));
        Assert.DoesNotContain(CosmosEmulatorFixture.Key, key.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CosmosStoreOptions.FromConnectionString("AccountEndpoint=https://acct/;"));
    }

    [Fact]
    public async Task ChangeFeedProcessor_DeliversExistingAndLaterChangesAsTheTriggerWould()
    {
        for (var i = 0; i < 5; i++)
        {
            await _store.CreateAsync(ContainerNames.Profiles, $"p{i}", $"p{i}", new TestItem($"v1-{i}"));
        }

        var received = new ConcurrentQueue<JsonElement>();
        var listener = await CosmosChangeFeedListener.StartAsync(_store, new CosmosChangeFeedListenerOptions
        {
            StartFromBeginning = true,
            MaxItemsPerInvocation = 2,
            PollInterval = TimeSpan.FromMilliseconds(50),
        }, (json, count, _) =>
        {
            using var batch = JsonDocument.Parse(json);
            Assert.Equal(count, batch.RootElement.GetArrayLength());
            Assert.InRange(count, 1, 2);
            foreach (var document in batch.RootElement.EnumerateArray())
            {
                received.Enqueue(document.Clone());
            }

            return Task.CompletedTask;
        });
        try
        {
            await WaitUntilAsync(() => received.Count >= 5);
            await _store.UpsertAsync(ContainerNames.Profiles, "p1", "p1", new TestItem("v2-1"));
            await _store.CreateAsync(ContainerNames.Profiles, "p9", "p9", new TestItem("v1-9"));
            await WaitUntilAsync(() => received.Count >= 7);
        }
        finally
        {
            await listener.StopAsync();
        }

        var labels = received.Select(d => d.GetProperty("label").GetString()).ToList();
        Assert.Equal(["v1-0", "v1-1", "v1-2", "v1-3", "v1-4", "v2-1", "v1-9"], labels);
        Assert.All(received, d => Assert.True(d.TryGetProperty("_etag", out _) && d.TryGetProperty("pk", out _)));
    }

    private static async Task<List<T>> ReadAllAsync<T>(FeedIterator<T> iterator)
    {
        using (iterator)
        {
            var items = new List<T>();
            while (iterator.HasMoreResults)
            {
                items.AddRange(await iterator.ReadNextAsync());
            }

            return items;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("The change feed processor delivered too little in 20 s.");
            }

            await Task.Delay(50);
        }
    }
}
