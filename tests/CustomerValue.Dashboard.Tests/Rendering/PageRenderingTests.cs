using CustomerValue.Domain.Profiles;
using CustomerValue.Functions.Functions.Dashboard.Pages;
using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Models.Validation;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Scoring;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;

namespace CustomerValue.Dashboard.Tests.Rendering;

/// <summary>The pages' HTML for given figures, rendered without a server or a browser.</summary>
public sealed class PageRenderingTests
{
    [Fact]
    public async Task Overview_BeforeTheFirstRun_SaysSo()
    {
        var html = await PageRenderer.RenderAsync<OverviewPage>(new OverviewModel());

        Assert.Contains("No recompute has run yet", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Overview</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_AddsUpTheTiers_AndShowsTheChangeSinceThePreviousRun()
    {
        var previous = Run("run-20261130T030000Z", [("top-20", 8, 500m), ("middle-60", 25, 300m), ("bottom-20", 7, 20m), ("dormant", 4, 10m)]);
        var latest = Run("run-20261201T030000Z", [("top-20", 10, 1000.5m), ("middle-60", 30, 400.25m), ("bottom-20", 10, 30m), ("dormant", 4, 10m)]);

        var html = await PageRenderer.RenderAsync<OverviewPage>(new OverviewModel { Run = latest, Previous = previous });

        Assert.Contains("""data-figure="buyers">50<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-figure="net-revenue">1,430.75<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-figure="customers">60<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-figure="predicted-clv">150.00<""", html, StringComparison.Ordinal);
        Assert.Contains(">+5<", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal); // middle-60: 25 → 30
    }

    [Fact]
    public async Task Destinations_ShowEachDestinationsDeliveryState_OrSayNoneIsConfigured()
    {
        var status = new CustomerValue.Publishing.Delivery.DestinationStatus("meta", "meta-custom-audience", ["most-valuable", "top-20"], 12, 3400, 2, 0, 0,
            "HTTP 400 from the platform", new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), null, null);

        var html = System.Net.WebUtility.HtmlDecode(await PageRenderer.RenderAsync<DestinationsPage>(new DestinationsModel([status])));
        var none = await PageRenderer.RenderAsync<DestinationsPage>(new DestinationsModel([]));

        Assert.Contains("""data-destination-pending="meta">12<""", html, StringComparison.Ordinal);
        Assert.Contains("""data-destination-delivered="meta">3,400<""", html, StringComparison.Ordinal);
        Assert.Contains("most-valuable, top-20", html, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 09:00 UTC: HTTP 400 from the platform", html, StringComparison.Ordinal);
        Assert.Contains("nothing to re-send", html, StringComparison.Ordinal);
        Assert.Contains("No destination is configured", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_EncodesWhatPeopleTyped()
    {
        var profile = new CustomerProfile { Id = "cp-1", FirstName = "<script>alert(1)</script>", Emails = ["a\"b@example.com"] };

        var html = await PageRenderer.RenderAsync<CustomerPage>(new CustomerModel { Profile = profile });

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_ShowsSegmentsWithTheirReasons_AndTheOrdersItIsGiven()
    {
        var profile = new CustomerProfile
        {
            Id = "cp-2",
            Segments = ["top-20"],
            SegmentReasons = new Dictionary<string, string> { ["top-20"] = "predictedProfit 412.10 ≥ top-20 threshold 180.00" },
        };
        OrderRecord[] newestFirst =
        [
            new() { OrderKey = "o-new", PlacedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), VersionAt = DateTimeOffset.UnixEpoch, Gross = 20m, Refunded = 5m },
            new() { OrderKey = "o-old", PlacedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), VersionAt = DateTimeOffset.UnixEpoch, Gross = 10m },
        ];
        profile.OrderTotals = OrderTotals.Of(newestFirst);

        var html = await PageRenderer.RenderAsync<CustomerPage>(new CustomerModel { Profile = profile, Orders = newestFirst });

        Assert.Contains("predictedProfit 412.10 ≥ top-20 threshold 180.00", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.True(html.IndexOf("o-new", StringComparison.Ordinal) < html.IndexOf("o-old", StringComparison.Ordinal));
        Assert.Contains("""data-figure="net-revenue">25.00<""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelHealth_DrawsTheCalibrationChart_AsATitledImage_AndListsStandardErrors()
    {
        var run = Run("run-20261201T030000Z", [("top-20", 1, 1m)]) with
        {
            Model = new ModelRunSummary("bgnbd+gammagamma", 100, 40,
                [new ModelFitSummary("bgnbd", new Dictionary<string, double> { ["r"] = 0.2426, ["alpha"] = 4.4135 }, "Converged", true, -9582.43, 30, 100, 0.1)
                { StandardErrors = new Dictionary<string, double> { ["r"] = 0.0127, ["alpha"] = 0.3786 } }], null)
            {
                Comparison = new ModelChoiceSummary(new DateTime(2026, 4, 1), new DateTime(2026, 11, 30), 100, "bgnbd", "lowest MAE",
                    [new ModelHoldoutSummary("bgnbd", 0.5, 0.9, 50, 48, 0.04, null)],
                    [new HoldoutRow(0, false, 60, 0.1, 0.12), new HoldoutRow(1, false, 30, 0.5, 0.45), new HoldoutRow(2, true, 10, 1.2, 1.1)], []),
            },
            Distributions = ValueDistributions.Of([(10m, 0.9), (20m, 0.5), (500m, 0.1)]),
        };

        await using var store = await TempStore.CreateAsync();
        await store.Store.UpsertAsync(ContainerNames.Runs, run.Id, run.Id, run);
        await store.Store.UpsertAsync(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId,
            new SegmentSummary { RunId = run.Id, ComputedAt = run.FinishedAt, Segments = run.Segments });

        var html = await PageRenderer.RenderAsync<ModelHealthPage>(await ModelHealthModel.LoadAsync(new RunQueries(store.Store), new CustomerValue.Functions.Functions.Dashboard.Charts.ChartCache(), default));

        Assert.Equal(3, CountOf(html, """role="img" aria-label="""));
        Assert.Contains("<title>Holdout purchases by calibration purchases: predicted vs actual</title>", html, StringComparison.Ordinal);
        Assert.Contains("r 0.2426 (0.0127)", html, StringComparison.Ordinal);
        Assert.Contains("2+", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_CountsEveryValue_WithOutliersInTheLastBin()
    {
        var histogram = Histogram.Of([-1, 0, 0.5, 1, 99], 0, 1);

        Assert.Equal(5, histogram.Total);
        Assert.Equal(2, histogram.Counts[0]);
        Assert.Equal(2, histogram.Counts[^1]);
        Assert.Equal(ValueDistributions.Bins + 1, histogram.Edges.Count);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static RecomputeRun Run(string id, IReadOnlyList<(string Name, int Size, decimal Revenue)> segments) => new()
    {
        Id = id,
        StartedAt = DateTimeOffset.UnixEpoch,
        FinishedAt = DateTimeOffset.ParseExact(id[4..], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        Method = "bgnbd+gammagamma",
        Profiles = 60,
        Ranked = segments.Where(s => s.Name is "top-20" or "middle-60" or "bottom-20").Sum(s => s.Size),
        Written = 0,
        SegmentChanges = 3,
        Segments = [.. segments.Select(s => new SegmentSize(s.Name, s.Size, "", s.Revenue, 0m))],
        Kpis = [.. segments.Select(s => new SegmentKpis { Segment = s.Name, Size = s.Size, TotalPredictedClv = s.Name is "dormant" ? 0m : 50m })],
    };
}
