using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;
using CustomerValue.Segmentation.Tests.Segments;
using CustomerValue.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Segmentation.Tests.Custom;

/// <summary>
/// The examples SEGMENTS.md ships, loaded from a definitions file (the JSON and the YAML block of the document) and run
/// inside a real recompute on the embedded store: each gains exactly the customers its goal is about, with reasons on
/// the profiles and KPIs with targets on the run record.
/// </summary>
public sealed class CustomSegmentsInRecomputeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = FakeClock.Start;
    private TempStore _temp = null!;

    public async Task InitializeAsync() => _temp = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private static OrderRecord Sale(string key, decimal gross, double daysAgo, SalesChannel channel) => new()
    {
        OrderKey = key,
        PlacedAt = Now.AddDays(-daysAgo),
        VersionAt = Now.AddDays(-daysAgo),
        Gross = gross,
        Channel = channel,
    };

    /// <summary>A buyer with <paramref name="orders"/> purchases, the last <paramref name="lastDaysAgo"/> days ago, every 30 days before.</summary>
    private async Task BuyerAsync(string id, int orders, decimal each, double lastDaysAgo, SalesChannel channel, int? nps = null)
    {
        var profile = new CustomerProfile { Id = id, CreatedAt = Now.AddYears(-2), UpdatedAt = Now };
        profile.OrderTotals = OrderTotals.Of(Enumerable.Range(0, orders).Select(i => Sale($"{id}-o{i}", each, lastDaysAgo + (30 * i), channel)));

        profile.Nps = nps is { } score ? new NpsAnswer(score, Now.AddDays(-3)) : null;
        await _temp.Store.UpsertAsync(ContainerNames.Profiles, id, id, profile);
    }

    /// <summary>
    /// Fifteen buyers, so three are top-20: the unhappy VIP and the web regular (top, never in the app) and the app fan
    /// (top, in the app); a store customer silent for 300 days; recent store customers and small web buyers.
    /// </summary>
    private async Task SeedAsync()
    {
        await BuyerAsync("unhappy-vip", 12, 300m, 5, SalesChannel.Online, nps: 3);
        await BuyerAsync("web-regular", 12, 280m, 8, SalesChannel.Online, nps: 9);
        await BuyerAsync("app-fan", 12, 260m, 6, SalesChannel.App);
        await BuyerAsync("lapsed-store", 3, 40m, 300, SalesChannel.Store);
        for (var i = 0; i < 5; i++)
        {
            await BuyerAsync($"store-{i}", 2, 30m + i, 20 + i, SalesChannel.Store, nps: 5);
        }

        for (var i = 0; i < 6; i++)
        {
            await BuyerAsync($"web-{i}", 1 + (i % 3), 20m + i, 40 + i, SalesChannel.Online);
        }
    }

    private static string DocumentBlock(string language)
    {
        var document = SegmentsDocument.Text().ReplaceLineEndings("\n");
        var start = document.IndexOf($"```{language}\n", StringComparison.Ordinal) + $"```{language}\n".Length;
        return document[start..document.IndexOf("\n```", start, StringComparison.Ordinal)];
    }

    private async Task<(RecomputeRun Run, Dictionary<string, CustomerProfile> Profiles)> RunWithFileAsync(string fileName, string content)
    {
        var path = Path.Combine(_temp.Folder, fileName);
        await File.WriteAllTextAsync(path, content);
        var options = new SegmentOptions { DefinitionsPath = path };
        var catalog = new CustomSegmentCatalog(new CustomSegmentStore(_temp.Store), options);
        var recompute = new CustomerValueRecompute(_temp.Store, new FakeClock(Now), NullLogger<CustomerValueRecompute>.Instance, options, null, catalog);
        var run = await recompute.RunAsync("run-20240601T120000Z");
        var profiles = new Dictionary<string, CustomerProfile>(StringComparer.Ordinal);
        await foreach (var document in _temp.Store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            profiles[document.Id] = document.Body;
        }

        return (run, profiles);
    }

    private static HashSet<string> Members(Dictionary<string, CustomerProfile> profiles, string segment) =>
        [.. profiles.Values.Where(p => p.Segments.Contains(segment)).Select(p => p.Id)];

    [Theory]
    [InlineData("json", "segments.json")]
    [InlineData("yaml", "segments.yaml")]
    public async Task TheDocumentsExamples_FromADefinitionsFile_GainTheirCustomersInTheRecompute(string language, string fileName)
    {
        await SeedAsync();

        var (run, profiles) = await RunWithFileAsync(fileName, DocumentBlock(language));

        Assert.Empty(run.CustomSegmentProblems);
        Assert.Equal(["lapsed-store"], Members(profiles, "win-back-lapsed-store"));
        var top = Members(profiles, SegmentNames.Top20);
        Assert.Equal(["app-fan", "unhappy-vip", "web-regular"], top.Order());
        Assert.Equal(["unhappy-vip", "web-regular"], Members(profiles, "grow-app-top").Order());
        Assert.True(profiles["unhappy-vip"].Value!.PredictedClv >= 300m, "the VIP must be valuable for the example to mean anything");
        Assert.Equal(["unhappy-vip"], Members(profiles, "detractors-high-value"));
        Assert.StartsWith("nps.score 3; value.predictedClv ", profiles["unhappy-vip"].SegmentReasons!["detractors-high-value"], StringComparison.Ordinal);
        Assert.Contains("lastOrderAt 2023-08-06", profiles["lapsed-store"].SegmentReasons!["win-back-lapsed-store"], StringComparison.Ordinal);

        var winBack = run.Kpis.Single(k => k.Segment == "win-back-lapsed-store");
        Assert.Equal(1, winBack.Size);
        Assert.Equal([("size", 200d, "atLeast", (double?)1d, false), ("repeatPurchaseRate", 0.3, "atLeast", 1d, true)],
            winBack.Targets.Select(t => (t.Metric, t.Target, t.Comparison, t.Value, t.Met)));
        var detractors = run.Kpis.Single(k => k.Segment == "detractors-high-value");
        Assert.Equal([("averageNps", 7d, false), ("size", 20d, true)], detractors.Targets.Select(t => (t.Metric, t.Target, t.Met)));
        Assert.Equal(2, run.Kpis.Single(k => k.Segment == "grow-app-top").Entered);
        var summary = (await _temp.Store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId))!.Body;
        Assert.Equal(2, summary.Segments.Single(s => s.Name == "grow-app-top").Size);
    }

    [Fact]
    public async Task ARefusedFile_AddsNoSegment_AndTheRunNamesItsProblems()
    {
        await SeedAsync();

        var (run, profiles) = await RunWithFileAsync("bad.yaml", "segments:\n  - name: lapsed\n    goal: Win back\n    rule: \"valu.pAlive < 0.3\"\n");

        Assert.Contains(run.CustomSegmentProblems, p => p.Contains("segments[0] (lapsed).rule: line 1, column 1: unknown field 'valu'", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Kpis, k => k.Segment == "lapsed");
        Assert.All(profiles.Values, p => Assert.DoesNotContain("lapsed", p.Segments));
        Assert.Contains(SegmentNames.Top20, profiles["app-fan"].Segments);
    }

    [Fact]
    public async Task ASegmentRemovedFromTheFile_LosesItsMembersAtTheNextRun()
    {
        await SeedAsync();
        var (_, before) = await RunWithFileAsync("segments.json", DocumentBlock("json"));

        var (run, after) = await RunWithFileAsync("segments.json", """{"segments": []}""");

        Assert.Contains("detractors-high-value", before["unhappy-vip"].Segments);
        Assert.DoesNotContain("detractors-high-value", after["unhappy-vip"].Segments);
        Assert.False(after["unhappy-vip"].SegmentReasons!.ContainsKey("detractors-high-value"));
        Assert.Empty(run.CustomSegmentProblems);
    }
}
