using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// The single writer lets a write pass the writes a bulk job queued before it: a webhook that arrives during an import
/// must not wait for the whole of the import's batch.
/// </summary>
public sealed class SqliteBulkWritesTests : IDisposable
{
    private const int BulkWriteCount = 20_000;
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task Write_QueuedAfterABulkJobsWrites_IsCommittedBeforeMostOfThem_AndEveryWriteLands()
    {
        using var store = new SqliteDocumentStore(_folder.File("store.db"));
        await store.InitializeAsync();
        var bulk = new List<Task>(BulkWriteCount);
        using (BulkWrites.Begin())
        {
            for (var i = 0; i < BulkWriteCount; i++)
            {
                // Profiles are stored uncompressed: queuing them is cheap, so the writer cannot catch up while they are queued.
                bulk.Add(store.UpsertAsync(ContainerNames.Profiles, $"o-{i}", $"p-{i % 100}", new TestItem("bulk")));
            }
        }

        await store.UpsertAsync(ContainerNames.Profiles, "p-webhook", "p-webhook", new TestItem("webhook"));
        var pending = bulk.Count(t => !t.IsCompleted);

        // First come, first served, it would have waited for all of them.
        Assert.True(pending > BulkWriteCount / 2, $"only {pending} of {BulkWriteCount} bulk writes were still queued when the other write was committed");
        await Task.WhenAll(bulk);
        Assert.NotNull(await store.ReadAsync<TestItem>(ContainerNames.Profiles, $"o-{BulkWriteCount - 1}", $"p-{(BulkWriteCount - 1) % 100}"));
    }

    [Fact]
    public async Task Scope_MarksTheWritesOfTheCodeInside_AcrossAwaits_AndEndsWithIt()
    {
        Assert.False(BulkWrites.Active);
        using (BulkWrites.Begin())
        {
            await Task.Yield();
            Assert.True(await Task.Run(() => BulkWrites.Active));
        }

        Assert.False(BulkWrites.Active);
    }
}
