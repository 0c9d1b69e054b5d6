using System.Security.Cryptography;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// <see cref="SqliteDocumentStore.ReleaseMemory"/>: the page caches of the idle read connections (C memory the
/// garbage collector never sees) are given back, and the store keeps reading and writing as before. SQLite's memory
/// counter is process-wide, so this class runs alone.
/// </summary>
[Collection(nameof(SqliteMemoryCollection))]
public sealed class SqliteDocumentStoreMemoryTests : IDisposable
{
    private const string Container = ContainerNames.Profiles;
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public async Task ReleaseMemory_GivesBackTheReadersPageCaches_AndReadsAndWritesGoOn()
    {
        using var store = new SqliteDocumentStore(_folder.File("store.db"));
        await store.InitializeAsync();
        // Random text: stored bodies are compressed, and the point is a large store.
        string filler = Convert.ToBase64String(RandomNumberGenerator.GetBytes(1500));
        for (int i = 0; i < 3000; i++)
        {
            await store.UpsertAsync(Container, $"p{i}", $"p{i}", new TestItem(filler, i));
        }

        // Several readers at once, each reading everything: their page caches fill and they stay idle in the pool.
        long empty = raw.sqlite3_memory_used();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 3000; i++)
            {
                Assert.NotNull(await store.ReadAsync<TestItem>(Container, $"p{i}", $"p{i}"));
            }
        })));
        long cached = raw.sqlite3_memory_used();

        store.ReleaseMemory();

        long released = raw.sqlite3_memory_used();
        Assert.True(cached - empty > 4 << 20, $"the readers cached only {(cached - empty) >> 10} KB");
        Assert.True(released < empty + ((cached - empty) / 4), $"SQLite held {empty >> 10} KB before the reads, {cached >> 10} KB after, {released >> 10} KB after the release");
        var read = await store.ReadAsync<TestItem>(Container, "p7", "p7");
        Assert.Equal(7, read!.Body.Count);
        await store.UpsertAsync(Container, "p7", "p7", new TestItem("person", 70));
        Assert.Equal(70, (await store.ReadAsync<TestItem>(Container, "p7", "p7"))!.Body.Count);
    }
}

/// <summary>Tests that read SQLite's process-wide memory counter run with no other test at the same time.</summary>
[CollectionDefinition(nameof(SqliteMemoryCollection), DisableParallelization = true)]
public sealed class SqliteMemoryCollection;
