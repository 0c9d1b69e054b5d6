using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Tests.Documents;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Storage.Tests.Embedded;

/// <summary>
/// Every stored row carries its container's code, so the codes of the known containers are fixed for good: adding or
/// reordering container names must never renumber them.
/// </summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    [Fact]
    public void KnownCodes_ArePinned()
    {
        // Stores on disk hold these numbers: changing one orphans every row of two containers.
        Assert.Equal(1, SqliteSchema.KnownCode(ContainerNames.Profiles));
        Assert.Equal(2, SqliteSchema.KnownCode(ContainerNames.Orders));
        Assert.Equal(3, SqliteSchema.KnownCode(ContainerNames.Identities));
        Assert.Equal(4, SqliteSchema.KnownCode(ContainerNames.Deliveries));
        Assert.Equal(5, SqliteSchema.KnownCode(ContainerNames.Imports));
        Assert.Equal(6, SqliteSchema.KnownCode(ContainerNames.Runs));
        Assert.Equal(7, SqliteSchema.KnownCode(ContainerNames.Publications));
        Assert.Equal(8, SqliteSchema.KnownCode(ContainerNames.Segments));
        Assert.Equal(9, SqliteSchema.KnownCode(ContainerNames.Outbound));
        Assert.Equal(10, SqliteSchema.KnownCode(ContainerNames.Destinations));
        Assert.Equal(11, SqliteSchema.KnownCode(ContainerNames.Leases));
    }

    [Fact]
    public void EveryKnownContainer_HasItsOwnCode_BelowTheCodesGivenToOthers()
    {
        Assert.All(ContainerNames.All, name => Assert.True(SqliteSchema.KnownCodes.ContainsKey(name), $"{name} has no fixed code"));
        Assert.Equal(SqliteSchema.KnownCodes.Count, SqliteSchema.KnownCodes.Values.Distinct().Count());
        Assert.All(SqliteSchema.KnownCodes.Values, code => Assert.InRange(code, 1, SqliteSchema.FirstOtherCode - 1));
    }

    [Fact]
    public async Task OpenedStore_RecordsTheFixedCodes_AndAnOtherContainerFromTheFirstOtherCode()
    {
        var path = _folder.File("store.db");
        using (var store = new SqliteDocumentStore(path))
        {
            await store.InitializeAsync();
            await store.UpsertAsync("custom", "a", "p", new TestItem("x"));
        }

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, code FROM containers";
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        Assert.All(SqliteSchema.KnownCodes, known => Assert.Equal(known.Value, stored[known.Key]));
        Assert.Equal(SqliteSchema.FirstOtherCode, stored["custom"]);
    }
}
