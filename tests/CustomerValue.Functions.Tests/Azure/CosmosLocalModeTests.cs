using System.Globalization;
using System.Net;
using System.Text.Json;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Azure.Cosmos;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Tests.Emulators;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// The whole server on Cosmos DB: the real Microsoft.Azure.Cosmos SDK against the Cosmos-API server of
/// tests/emulators, in local mode, where the SDK's change feed processor (CosmosChangeFeedPump) stands in for the
/// cosmosDBTrigger and hands the changed profiles to PublishSegmentChanges.
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosLocalModeTests(CosmosEmulatorFixture cosmos)
{
    // Five customers, one order each, worth 20, 40, ... 100: one top-20, three middle-60, one bottom-20.
    private const int Customers = 5;

    [Fact]
    public async Task OrdersStoredInCosmos_AreValued_AndTheChangeFeedProcessorPublishesEverySegmentChange()
    {
        var database = "e2e-" + Guid.NewGuid().ToString("N")[..12]; // a database of its own on the shared server
        await using var server = await RunningServer.StartAsync(localMode: true, new Dictionary<string, string?>
        {
            ["CosmosDb"] = $"AccountEndpoint={cosmos.Endpoint};AccountKey={CosmosEmulatorFixture.Key};",
            ["CosmosDb:DatabaseName"] = database,
            ["CosmosDb:CreateIfMissing"] = "true",
            ["CosmosDb:GatewayMode"] = "true",
            ["CosmosDb:LimitToEndpoint"] = "true",
            // Settings alone, as a developer would point the app at an emulator: its self-signed certificate is pinned.
            ["CosmosDb:TrustedCertificatePath"] = cosmos.CertificatePath,
        });
        // No embedded change log runs beside Cosmos DB: whatever reaches the outbox came through the SDK's processor.
        Assert.IsType<CosmosDocumentStore>(server.Services.GetRequiredKeyedService<IDocumentStore>(ServiceRegistration.StoreBackendKey));
        Assert.Null(server.Services.GetService<ChangeFeedPump>());

        var profileIds = new List<string>();
        for (var i = 1; i <= Customers; i++)
        {
            var email = $"cosmos{i}@example.com";
            var order = EndToEnd.ShopifyOrder(91_000 + i, email, customerId: 71_000 + i, total: 20m * i);
            await EndToEnd.AssertOkAsync(await server.SendShopifyAsync("orders/create", order, "wh-cosmos-" + i.ToString(CultureInfo.InvariantCulture)));
            profileIds.Add((await EndToEnd.SingleAsync(server.Client, "email", email)).GetProperty("id").GetString()!);
        }

        await server.Services.GetRequiredService<RecomputeTrigger>().FireAsync(null, DateTime.UtcNow.AddDays(1), EndToEnd.Timeout());

        var outbox = Path.Combine(server.DataDir, "outbox", OutboxFileDestination.FileName);
        await Eventually.UntilAsync(
            async () => File.Exists(outbox) && (await File.ReadAllLinesAsync(outbox)).Length >= Customers,
            () => $"{outbox} did not receive {Customers} segment changes; the Cosmos server said:\n{cosmos.Log}");
        var changes = (await File.ReadAllLinesAsync(outbox)).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
        Assert.Equal(profileIds.Order(StringComparer.Ordinal), changes.Select(c => c.GetProperty("profileId").GetString()!).Order(StringComparer.Ordinal));
        var profiles = cosmos.Client.GetDatabase(database).GetContainer(ContainerNames.Profiles);
        foreach (var change in changes)
        {
            var id = change.GetProperty("profileId").GetString()!;
            Assert.Equal("joined", change.GetProperty("kind").GetString());
            using var response = await server.Client.GetAsync("/api/profiles/" + id);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var api = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(change.GetProperty("segment").GetString(), Assert.Single(EndToEnd.Strings(api.RootElement, "segments")));
            // The same document straight from Cosmos DB (id = partition key): the API serves what is stored there.
            var stored = await profiles.ReadItemAsync<JsonElement>(id, new PartitionKey(id));
            Assert.Equal(EndToEnd.Strings(api.RootElement, "segments"), EndToEnd.Strings(stored.Resource, "segments"));
        }

        Assert.Equal("top-20", Assert.Single(changes, c => c.GetProperty("profileId").GetString() == profileIds[^1]).GetProperty("segment").GetString());
    }
}
