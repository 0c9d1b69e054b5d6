using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Segments;
using static CustomerValue.Segmentation.Tests.Segments.SegmentShop;

namespace CustomerValue.Segmentation.Tests.Segments;

public sealed class SegmentInputsTests
{
    private static OrderRecord Sale(string key, decimal gross, double daysAgo, SalesChannel channel = SalesChannel.Online, decimal refunded = 0m, string? acquisition = null) => new()
    {
        OrderKey = key,
        PlacedAt = DaysAgo(daysAgo),
        VersionAt = DaysAgo(daysAgo),
        Gross = gross,
        Refunded = refunded,
        Channel = channel,
        AcquisitionChannel = acquisition,
    };

    private static CustomerValueScore Score(string run, decimal clv, double pAlive = 0.9) => new()
    {
        RunId = run,
        Method = "bgnbd+gammagamma",
        PredictedClv = clv,
        PAlive = pAlive,
        ExpectedPurchases = 2,
        RankingValue = clv,
    };

    [Fact]
    public void FromProfile_ReadsTheFactsTheRulesNeed()
    {
        var profile = new CustomerProfile
        {
            Id = "cp-1",
            OrderTotals = OrderTotals.Of(
            [
                Sale("o1", 100m, 400, acquisition: "meta/paid"),
                Sale("o2", 200m, 100, SalesChannel.Store, refunded: 50m),
                new OrderRecord { OrderKey = "r1", Kind = OrderKind.Return, PlacedAt = DaysAgo(90), VersionAt = DaysAgo(90), Refunded = 20m },
            ]),
            Nps = new NpsAnswer(9, DaysAgo(5)),
            Loyalty = new LoyaltyMembership("club", true, DaysAgo(50)) { Tier = "gold" },
            Engagement = new CustomerEngagement { Channels = [EngagementChannel.Email], LastTouchAt = DaysAgo(3) },
            Segments = ["middle-60", "promoters"],
            Value = Score("run-1", 300m),
        };

        var input = SegmentInputs.FromProfile(profile, Score("run-2", 180m), AsOf, previousPercentile: 55);

        Assert.Equal(2, input.Orders);
        Assert.Equal(DaysAgo(400), input.FirstOrderAt);
        Assert.Equal(DaysAgo(100), input.LastOrderAt);
        Assert.Equal(["email", "store", "web"], input.Channels.Select(c => c.Channel));
        Assert.Equal(DaysAgo(3), input.Channels[0].LastAt);
        Assert.Equal("meta/paid", input.AcquisitionChannel);
        Assert.Equal(230m, input.NetRevenue);
        Assert.Equal(130m, input.NetRevenueLast12Months);
        Assert.Equal(2, input.ReturnedOrders);
        Assert.Equal(9, input.Nps);
        Assert.Equal("club/gold", input.LoyaltyProgram);
        Assert.Equal(180m, input.PredictedClv);
        Assert.Equal(300m, input.PreviousPredictedClv);
        Assert.Equal("middle-60", input.PreviousTier);
        Assert.Equal(55, input.PreviousPercentile);
        Assert.Equal(["middle-60", "promoters"], input.PreviousSegments);
    }

    [Fact]
    public void FromProfile_NetSpendScore_IsNoPrediction_SoProfitIsTheHistory()
    {
        var profile = new CustomerProfile { Id = "cp-2", OrderTotals = OrderTotals.Of([Sale("o1", 80m, 10)]) };
        var netSpend = new CustomerValueScore { RunId = "run-1", Method = "net-spend", HistoricClv = 80m, RankingValue = 80m };

        var input = SegmentInputs.FromProfile(profile, netSpend, AsOf);

        Assert.Null(input.PredictedClv);
        Assert.Equal(80m, PredictedProfit.Of(input, new ValueOptions()));
        Assert.Equal(70m, PredictedProfit.Of(input, new ValueOptions { CostPerOrder = 10m }));
    }

    [Fact]
    public void TwoRuns_RefundsBetweenThem_MakeTheCustomerDeclining_AndNewOrdersMakeAnotherRising()
    {
        var shop = Enumerable.Range(0, 8).Select(i => new CustomerProfile { Id = $"cp-{i}", OrderTotals = OrderTotals.Of([Sale($"o-{i}", 100m + i * 10m, 100)]) }).ToList();
        var refunder = new CustomerProfile { Id = "refunder", OrderTotals = OrderTotals.Of([Sale("r-1", 900m, 300), Sale("r-2", 800m, 50)]) };
        var grower = new CustomerProfile { Id = "grower", OrderTotals = OrderTotals.Of([Sale("g-1", 20m, 200)]) };
        shop.AddRange([refunder, grower]);
        var clv1 = new Dictionary<string, decimal> { ["refunder"] = 1200m, ["grower"] = 30m };

        // Run 1: score, decide, and write back as the recompute does.
        Decide(shop, p => clv1.GetValueOrDefault(p.Id, 200m + shop.IndexOf(p)), "run-1");
        Assert.Equal(["top-20"], refunder.Segments);
        Assert.Equal(["bottom-20"], grower.Segments);

        // Between the runs: the refunder returns most of it, the grower buys big twice.
        refunder.OrderTotals = OrderTotals.Of([Sale("r-1", 900m, 300) with { Refunded = 900m, VersionAt = DaysAgo(5) }, Sale("r-2", 800m, 50)]);
        grower.OrderTotals = OrderTotals.Of([Sale("g-1", 20m, 200), Sale("g-2", 300m, 10), Sale("g-3", 400m, 2)]);
        var clv2 = new Dictionary<string, decimal> { ["refunder"] = 150m, ["grower"] = 204.5m };

        var reasons = Decide(shop, p => clv2.GetValueOrDefault(p.Id, 200m + shop.IndexOf(p)), "run-2");

        Assert.Contains("declining", refunder.Segments);
        Assert.Equal("predictedClv 1200.00 → 150.00 (−87.5 % ≥ 30 %); lastOrder 2024-04-12 within 730 days", reasons["refunder"]["declining"]);
        Assert.Contains("rising", grower.Segments);
        Assert.Equal("tier bottom-20 → middle-60", reasons["grower"]["rising"]);
    }

    private static Dictionary<string, Dictionary<string, string>> Decide(List<CustomerProfile> shop, Func<CustomerProfile, decimal> clv, string run)
    {
        var inputs = shop.Select(p => SegmentInputs.FromProfile(p, Score(run, clv(p)), AsOf)).ToList();
        var context = SegmentRunContext.ForRun(inputs, AsOf);
        var reasons = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (profile, input) in shop.Zip(inputs))
        {
            var matches = SegmentRegistry.Evaluate(input, context);
            profile.Segments = [.. matches.Select(m => m.Segment).Order(StringComparer.Ordinal)];
            profile.Value = Score(run, clv(profile));
            reasons[profile.Id] = matches.ToDictionary(m => m.Segment, m => m.Reason);
        }

        return reasons;
    }
}
