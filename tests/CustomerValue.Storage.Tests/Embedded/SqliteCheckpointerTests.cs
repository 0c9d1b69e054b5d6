using System.Security.Cryptography;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// The write-ahead log is copied into the database by a checkpointer beside the writer, not inside its commits: large
/// writes reach the database file while the store is open, below the writer's own (higher) checkpoint threshold, and
/// nothing is lost on the way.
/// </summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private const int BodyBytes = 16 * 1024;
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task WritesBeyondTheCheckpointThreshold_AreCheckpointedBesideTheWriter_AndAllReadBack()
    {
        // About 2.5 times the checkpointer's threshold, and well under the writer's own: only the checkpointer can have
        // copied these pages into the database file while the store is open.
        var documents = (int)(2.5 * SqliteCheckpointer.PagesPerCheckpoint * 4096 / BodyBytes);
        Assert.True((long)documents * BodyBytes < SqliteCheckpointer.WriterCheckpointPages * 4096L * 3 / 4);
        var path = _folder.File("store.db");
        var labels = Enumerable.Range(0, documents).Select(_ => Convert.ToHexString(RandomNumberGenerator.GetBytes(BodyBytes / 2))).ToArray();
        using (var store = new SqliteDocumentStore(path))
        {
            await store.InitializeAsync();
            // Concurrent writers, as in an import: their writes share transactions.
            await Parallel.ForEachAsync(Enumerable.Range(0, documents), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, ct) => await store.UpsertAsync("custom", $"doc-{i}", $"pk-{i % 16}", new TestItem(labels[i], i), ct));

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (store.Statistics.Checkpoints == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            var statistics = store.Statistics;
            Assert.True(statistics.Checkpoints >= 1, "no checkpoint ran beside the writer");
            Assert.True(statistics.LargestLogPages >= SqliteCheckpointer.PagesPerCheckpoint, $"a checkpoint ran with only {statistics.LargestLogPages} pages in the log");
            // The pages are in the database file itself, not only in the log.
            Assert.True(new FileInfo(path).Length >= (long)SqliteCheckpointer.PagesPerCheckpoint * 4096, $"the database file holds {new FileInfo(path).Length:N0} bytes");

            foreach (var i in new[] { 0, documents / 2, documents - 1 })
            {
                var read = await store.ReadAsync<TestItem>("custom", $"doc-{i}", $"pk-{i % 16}");
                Assert.Equal(new TestItem(labels[i], i), read?.Body);
            }
        }

        // Closed and opened again: every document is there.
        using var reopened = new SqliteDocumentStore(path);
        await reopened.InitializeAsync();
        var count = 0;
        await foreach (var document in reopened.ScanAsync<TestItem>("custom"))
        {
            Assert.Equal(labels[document.Body.Count], document.Body.Label);
            count++;
        }

        Assert.Equal(documents, count);
    }

    [Fact]
    public async Task RepeatedQueries_ReuseTheirStatement_AndLeaveNoSnapshotPinned()
    {
        var path = _folder.File("store.db");
        using var store = new SqliteDocumentStore(path);
        await store.InitializeAsync();
        await store.UpsertAsync(ContainerNames.Orders, "o-1", "alice", new TestItem("first"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["alice"], (await store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-1")).Select(d => d.PartitionKey));
            Assert.Empty(await store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-2"));
        }

        // A later write is seen by the same (reused) statement: it does not answer from an old snapshot.
        await store.UpsertAsync(ContainerNames.Orders, "o-2", "bob", new TestItem("second"));
        Assert.Equal(["bob"], (await store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-2")).Select(d => d.PartitionKey));

        // No reader holds a read transaction open: a checkpoint that must wait for every reader finishes at once.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 1 }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var result = await command.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        Assert.Equal(0, result.GetInt64(0));
    }

    [Fact]
    public async Task DisposingTheStoreTwice_IsHarmless()
    {
        var store = new SqliteDocumentStore(_folder.File("store.db"));
        await store.InitializeAsync();
        await store.UpsertAsync("custom", "a", "p", new TestItem("x"));
        store.Dispose();
        store.Dispose();
    }
}
