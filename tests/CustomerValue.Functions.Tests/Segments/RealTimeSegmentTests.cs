using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Segmentation.RealTime;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests.Segments;

/// <summary>
/// Real-time segments over HTTP on the real server: after a recompute, orders, returns and events rescore the customer
/// with the last fit and update the segments that depend only on the profile in the same write; rank-based tiers wait
/// for the next run, which measures a fall in value against the run before it.
/// </summary>
public sealed class RealTimeSegmentTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Today = new(DateTime.UtcNow.Date, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(settings: EndToEnd.Secrets());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// Forty store customers who bought 2 to 6 times over the past year (so the models are fitted), customer C1 the
    /// biggest spender by far.
    /// </summary>
    private async Task SeedAsync()
    {
        var rows = new StringBuilder(EndToEnd.PosHeader);
        for (var c = 1; c <= 40; c++)
        {
            var orders = 2 + (c % 5);
            for (var o = 0; o < orders; o++)
            {
                var at = Today.AddDays(-20 - (o * (300 / orders)) - (c % 7));
                var total = c == 1 ? 900m : 20m + c;
                rows.Append(CultureInfo.InvariantCulture, $"T{c}-{o},{at:yyyy-MM-ddTHH:mm:ssZ},sale,{total:0.00},USD,store-sf,C{c},person{c}@example.com,,P,{c},\n");
            }
        }

        await EndToEnd.ImportPosAsync(_server, "seed.csv", rows.ToString());
    }

    private async Task<string> RecomputeAsync(int day)
    {
        using var response = await _server.InvokeAsync("RecomputeCustomerValue", HostPayloads.Serialize(HostPayloads.Timer("timer", null, DateTimeOffset.UtcNow.AddDays(day), false)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        // The real-time path caches the latest run for a while; the next write must see this one.
        _server.Services.GetRequiredService<RealTimeSegments>().Invalidate();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("ReturnValue").GetProperty("id").GetString()!;
    }

    private Task<JsonElement> ProfileAsync(string email) => EndToEnd.SingleAsync(_server.Client, "email", email);

    private static string[] Segments(JsonElement profile) => [.. profile.GetProperty("segments").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task BeforeAnyRecompute_AWebhookLeavesValueAndSegmentsAlone()
    {
        using var response = await _server.SendShopifyAsync("orders/create", EndToEnd.ShopifyOrder(501, "early@example.com", 77, placedAt: Today), "wh-early");

        var profile = await ProfileAsync("early@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(profile.TryGetProperty("value", out _));
        Assert.Empty(Segments(profile));
    }

    [Fact]
    public async Task AFirstOrderAfterTheRun_MakesANewCustomerWithAValueAtOnce_TiersWaitForTheNextRun()
    {
        await SeedAsync();
        var run = await RecomputeAsync(1);

        using var response = await _server.SendShopifyAsync("orders/create", EndToEnd.ShopifyOrder(601, "newcomer@example.com", 88, total: 60m, placedAt: Today.AddHours(-2)), "wh-new");
        var profile = await ProfileAsync("newcomer@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("new-customers", Segments(profile));
        Assert.DoesNotContain(Segments(profile), s => s is "top-20" or "middle-60" or "bottom-20");
        var value = profile.GetProperty("value");
        Assert.Equal(run, value.GetProperty("runId").GetString());
        Assert.True(value.TryGetProperty("rescoredAt", out _));
        Assert.True(value.TryGetProperty("pAlive", out _), "rescored with the fitted model, not net spend");
        Assert.StartsWith(run + "+rt-", profile.GetProperty("segmentsRunId").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("firstOrder ", profile.GetProperty("segmentReasons").GetProperty("new-customers").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnNpsAnswer_MovesTheCustomerIntoDetractorsAndACustomSegmentAtOnce_KeepingTheTier()
    {
        await SeedAsync();
        using var put = await _server.Client.PutAsync("/api/segments/unhappy-store",
            new StringContent("""{"goal": "Call unhappy store customers", "rule": "nps != null && nps.score <= 6 && 'store' in channels"}""", Encoding.UTF8, "application/json"));
        await RecomputeAsync(1);
        var before = await ProfileAsync("person5@example.com");

        using var response = await EndToEnd.SendEventAsync(_server.Client,
            EndToEnd.Event("nps", "nps-5", DateTimeOffset.UtcNow, "crm", new JsonObject { ["email"] = "person5@example.com" }, new JsonObject { ["score"] = 2 }), "wh-nps-5");
        var after = await ProfileAsync("person5@example.com");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("detractors", Segments(before));
        Assert.Contains("detractors", Segments(after));
        Assert.Contains("unhappy-store", Segments(after));
        Assert.Equal("nps.score 2; channels [store]", after.GetProperty("segmentReasons").GetProperty("unhappy-store").GetString());
        var tier = Segments(before).Single(s => s is "top-20" or "middle-60" or "bottom-20");
        Assert.Contains(tier, Segments(after));
        Assert.Equal(before.GetProperty("segmentReasons").GetProperty(tier).GetString(), after.GetProperty("segmentReasons").GetProperty(tier).GetString());
    }

    [Fact]
    public async Task AReturnBetweenRuns_LowersTheValueAtOnce_AndTheNextRunFindsTheCustomerDeclining()
    {
        await SeedAsync();
        await RecomputeAsync(1);
        var before = await ProfileAsync("person1@example.com");
        Assert.Contains("top-20", Segments(before));

        var returns = new StringBuilder(EndToEnd.PosHeader);
        for (var o = 0; o < 3; o++)
        {
            returns.Append(CultureInfo.InvariantCulture, $"R1-{o},{Today.AddDays(-1):yyyy-MM-ddTHH:mm:ssZ},return,900.00,USD,store-sf,C1,person1@example.com,,P,1,\n");
        }

        await EndToEnd.ImportPosAsync(_server, "returns.csv", returns.ToString());
        var rescored = await ProfileAsync("person1@example.com");
        await RecomputeAsync(2);
        var after = await ProfileAsync("person1@example.com");

        var runValue = before.GetProperty("value").GetProperty("predictedClv").GetDecimal();
        Assert.True(rescored.GetProperty("value").GetProperty("predictedClv").GetDecimal() < runValue * 0.7m, rescored.GetProperty("value").ToString());
        Assert.Equal(runValue, rescored.GetProperty("value").GetProperty("runPredictedClv").GetDecimal());
        Assert.Contains("top-20", Segments(rescored));
        Assert.Contains("declining", Segments(after));
        Assert.Matches("^(predictedClv|tier) ", after.GetProperty("segmentReasons").GetProperty("declining").GetString());
        Assert.False(after.GetProperty("value").TryGetProperty("rescoredAt", out _));
    }
}
