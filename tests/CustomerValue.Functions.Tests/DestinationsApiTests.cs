using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CustomerValue.Domain.Segments;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.PlatformFakes;
using Microsoft.Extensions.DependencyInjection;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// The delivery pipeline in the server: local mode imports, values and publishes, the delivery pump drains the
/// destination queues into the fakes, and <c>api/destinations</c>, its replay and <c>api/guidance</c> answer.
/// </summary>
public sealed class DestinationsApiTests
{
    private static async Task<(RunningServer Server, PlatformFakeServer Fakes)> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var fakes = await PlatformFakeServer.StartAsync();
        var settings = Secrets();
        foreach (var (key, value) in fakes.Settings(SegmentNames.ValueTiers).Where(s => s.Key.StartsWith("Destinations:webhook:", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }

        settings["LocalMode:DeliveryPollMilliseconds"] = "100";
        configure?.Invoke(settings);
        return (await RunningServer.StartAsync(localMode: true, settings), fakes);
    }

    private static async Task ImportBuyersAsync(RunningServer server)
    {
        var rows = new StringBuilder(PosHeader);
        for (var i = 1; i <= 6; i++)
        {
            rows.Append(CultureInfo.InvariantCulture, $"B{i},2026-02-0{i}T10:00:00Z,sale,{i * 15}.00,USD,store-sf,K{i},buyer{i}@example.com,,B,{i},\n");
        }

        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "store-sf.csv"), rows.ToString());
        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(Timeout());
        await server.Services.GetRequiredService<RecomputeTrigger>().FireAsync(null, DateTime.UtcNow.AddDays(1), Timeout());
        await server.Services.GetRequiredService<ChangeFeedPump>().DrainAsync(Timeout());
        await server.Services.GetRequiredService<DeliveryPump>().DrainAsync(Timeout());
    }

    [Fact]
    public async Task LocalMode_DeliversSegmentChangesToAConfiguredWebhook_AndListsTheDestination()
    {
        var (server, fakes) = await StartAsync();
        await using var _ = server;
        await using var __ = fakes;

        await ImportBuyersAsync(server);

        Assert.Equal(6, fakes.Webhooks.Events.Count(e => SegmentNames.ValueTiers.Contains(e.GetProperty("segment").GetString())));
        using var list = await server.Client.GetAsync("/api/destinations");
        var destination = Assert.Single(JsonDocument.Parse(await AssertOkAsync(list)).RootElement.EnumerateArray());
        Assert.Equal("webhook", destination.GetProperty("name").GetString());
        Assert.Equal(0, destination.GetProperty("pending").GetInt64());
        Assert.Equal(6, destination.GetProperty("delivered").GetInt64());
        Assert.Equal(0, destination.GetProperty("deadLettered").GetInt64());
        Assert.True(destination.TryGetProperty("lastSuccessAt", out var success) && success.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Replay_OfAnUnknownDestination_Is404_AndOfAKnownOneQueuesItsDeadLetters()
    {
        var (server, fakes) = await StartAsync(s =>
        {
            s["Destinations:webhook:MaxAttempts"] = "1";
            s["Destinations:webhook:HttpRetries"] = "0";
        });
        await using var _ = server;
        await using var __ = fakes;
        fakes.Webhooks.Faults.FailAll = new Fault(400);

        await ImportBuyersAsync(server);
        using var status = await server.Client.GetAsync("/api/destinations");
        var dead = JsonDocument.Parse(await AssertOkAsync(status)).RootElement[0];
        Assert.Equal(6, dead.GetProperty("deadLettered").GetInt64());
        Assert.Contains("400", dead.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        using var unknown = await server.Client.PostAsync("/api/destinations/nowhere/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("webhook", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        fakes.Webhooks.Faults.Clear();
        using var replay = await server.Client.PostAsync("/api/destinations/webhook/replay", null);
        Assert.Equal(6, JsonDocument.Parse(await AssertOkAsync(replay)).RootElement.GetProperty("queued").GetInt32());
        await server.Services.GetRequiredService<DeliveryPump>().DrainAsync(Timeout());
        // Exactly once here: with no HTTP retries a late answer dead-letters rather than re-sends, and the replay and
        // the pump's rounds hold the destination's lease in turn, so no round re-sends what another already sent.
        Assert.Equal(6, fakes.Webhooks.Events.Count);
        Assert.Equal(6, fakes.Webhooks.Events.Select(e => e.GetProperty("eventId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Guidance_GivesEachSegmentAMaxCostAndBidAdjustment_AndHoldoutReports()
    {
        var (server, fakes) = await StartAsync(s => s["Segments:middle-60:HoldoutShare"] = "0.5");
        await using var _ = server;
        await using var __ = fakes;
        using (var before = await server.Client.GetAsync("/api/guidance"))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        await ImportBuyersAsync(server);

        using var response = await server.Client.GetAsync("/api/guidance");
        var guidance = JsonDocument.Parse(await AssertOkAsync(response)).RootElement;
        var segments = guidance.GetProperty("segments").EnumerateArray().ToDictionary(s => s.GetProperty("segment").GetString()!);
        var top = segments[SegmentNames.Top20];
        var bottom = segments[SegmentNames.Bottom20];
        Assert.True(top.GetProperty("maxCostPerMember").GetDecimal() > bottom.GetProperty("maxCostPerMember").GetDecimal());
        Assert.True(top.GetProperty("bidAdjustment").GetDouble() > 0);
        Assert.True(bottom.GetProperty("bidAdjustment").GetDouble() < 0);
        var holdout = Assert.Single(guidance.GetProperty("holdouts").EnumerateArray());
        Assert.Equal(SegmentNames.Middle60, holdout.GetProperty("segment").GetString());
        Assert.Equal([30, 90], holdout.GetProperty("windows").EnumerateArray().Select(w => w.GetProperty("days").GetInt32()));
        Assert.Contains("Not sent", guidance.GetProperty("conversionValues").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomSegment_KeepsTheHoldoutOfItsDefinition_AwayFromDestinations_AndInTheGuidance()
    {
        const string Segment = "store-buyers";
        var (server, fakes) = await StartAsync(s => s["Destinations:webhook:Segments:3"] = Segment);
        await using var _ = server;
        await using var __ = fakes;
        using (var put = await server.Client.PutAsync("/api/segments/" + Segment, new StringContent(
            """{"goal": "Bring store buyers back", "rule": "orders >= 1", "kpis": [{"metric": "size", "target": 6}], "destinations": ["webhook"], "holdoutShare": 0.5}""",
            Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        await ImportBuyersAsync(server);

        var members = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            members.Add((await SingleAsync(server.Client, "email", $"buyer{i}@example.com")).GetProperty("id").GetString()!);
        }

        var held = members.Where(id => CustomerValue.Publishing.Holdouts.HoldoutPolicy.Draw(id, Segment) < 0.5).ToHashSet();
        var sent = fakes.Webhooks.Events.Where(e => e.GetProperty("segment").GetString() == Segment).Select(e => e.GetProperty("profileId").GetString()!).ToList();
        Assert.Equal(members.Except(held).Order(StringComparer.Ordinal), sent.Order(StringComparer.Ordinal));
        using var response = await server.Client.GetAsync("/api/guidance");
        var holdout = Assert.Single(JsonDocument.Parse(await AssertOkAsync(response)).RootElement.GetProperty("holdouts").EnumerateArray());
        Assert.Equal(Segment, holdout.GetProperty("segment").GetString());
        Assert.Equal(0.5, holdout.GetProperty("holdoutShare").GetDouble());
    }

    [Fact]
    public async Task UnknownDestinationType_StopsTheStartUp_NamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningServer.StartAsync(settings: new Dictionary<string, string?> { ["Destinations:ads:Type"] = "myspace" }));
        Assert.Contains("Destinations:ads:Type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DestinationMissingASetting_StopsTheStartUp_NamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Destinations:meta:Type"] = "meta-custom-audience",
            ["Destinations:meta:AdAccountId"] = "1122334455",
            ["Destinations:meta:AccessToken"] = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/meta-token)",
        }));
        Assert.Contains("Destinations:meta:AccessToken", error.Message, StringComparison.Ordinal);
    }
}
