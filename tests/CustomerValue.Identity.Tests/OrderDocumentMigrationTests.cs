using System.Text.Json.Nodes;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

/// <summary>Data folders from before orders had documents of their own keep working: the orders move out when the store opens.</summary>
public sealed class OrderDocumentMigrationTests : IAsyncLifetime
{
    private ResolverHarness _p = null!;

    public async Task InitializeAsync() => _p = await ResolverHarness.CreateAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Run_MovesAnOldProfilesOrdersOut_CountsThem_AndLaterNewOrdersAddUp()
    {
        var person = await _p.ApplyKnownAsync(Activity(email: "old@example.com", order: Order("o-1", 10m, day: 1)));
        await WriteOldShapeAsync(person.ProfileId, [Order("o-1", 10m, day: 1), Order("o-2", 25m, day: 3), Order("o-2", 20m, day: 3, version: 0)]);

        var moved = await new OrderDocumentMigration(_p.Store).RunAsync();

        Assert.Equal(1, moved);
        var profile = await _p.ProfileAsync(person.ProfileId);
        Assert.Null(profile.LegacyOrderHistory);
        Assert.Equal((2, 35m), (profile.Orders, profile.GrossRevenue));
        Assert.Equal(["o-1", "o-2"], (await _p.OrdersAsync(person.ProfileId)).Select(o => o.OrderKey));

        await _p.ApplyKnownAsync(Activity(email: "old@example.com", order: Order("o-3", 5m, day: 4)));
        Assert.Equal((3, 40m), ((await _p.ProfileAsync(person.ProfileId)).Orders, (await _p.ProfileAsync(person.ProfileId)).GrossRevenue));
        Assert.Equal(0, await new OrderDocumentMigration(_p.Store).RunAsync());
    }

    /// <summary>Rewrites a profile as an older version stored it: the orders inside, no totals.</summary>
    private async Task WriteOldShapeAsync(string profileId, IEnumerable<CustomerValue.Domain.Profiles.OrderRecord> orders)
    {
        var document = (await _p.Store.ReadAsync<JsonObject>(ContainerNames.Profiles, profileId, profileId))!;
        document.Body.Remove("orderTotals");
        document.Body["orderHistory"] = JsonNode.Parse(DocumentJson.Serialize(orders.ToList()));
        await _p.Store.ReplaceAsync(ContainerNames.Profiles, profileId, profileId, document.Body, document.ETag);
        await _p.Store.DeleteAsync(ContainerNames.Orders, ProfileOrders.DocumentId("o-1"), profileId);
    }
}
