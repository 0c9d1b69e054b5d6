using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Segmentation.Tests.Custom;
using static CustomerValue.Segmentation.Tests.Segments.SegmentShop;

namespace CustomerValue.Segmentation.Tests.Kpis;

public sealed class SegmentKpiCalculatorTests
{
    private static IReadOnlyList<SegmentKpis> RunShop(IReadOnlyDictionary<string, IReadOnlyList<KpiTarget>>? targets = null, params string[] extra)
    {
        var context = Context();
        var calculator = new SegmentKpiCalculator(SegmentRegistry.BuiltIn.Select(r => r.Name).Concat(extra));
        foreach (var input in All)
        {
            calculator.Add(input, SegmentRegistry.Evaluate(input, context).Select(m => m.Segment));
        }

        return calculator.Results(targets);
    }

    [Fact]
    public void Results_Top20_SumsAndAveragesItsMembers()
    {
        var top = RunShop().Single(k => k.Segment == "top-20");

        // mvc (1000) and solo-top (900), both with 4 orders, 400 of revenue in the last 12 months and P(alive) 0.9.
        Assert.Equal(2, top.Size);
        Assert.Equal(0.2, top.ShareOfBuyers);
        Assert.Equal(800m, top.NetRevenue12Months);
        Assert.Equal(1900m, top.TotalPredictedClv);
        Assert.Equal(950m, top.AveragePredictedClv);
        Assert.Equal(0.9, top.AveragePAlive!.Value, 10);
        Assert.Equal(1.0, top.RepeatPurchaseRate);
        Assert.Equal(0.0, top.ReturnRate);
        Assert.Null(top.AverageNps);
        Assert.Equal(0, top.Entered);
        Assert.Equal(0, top.Left);
    }

    [Fact]
    public void Results_CountEnteredAndLeftAgainstThePreviousSegments()
    {
        var kpis = RunShop().ToDictionary(k => k.Segment);

        // rising came from bottom-20 into middle-60; new came from nowhere; previous bottom-20 members: rising, returner, dormant.
        Assert.Equal(2, kpis["middle-60"].Entered);
        Assert.Equal(1, kpis["bottom-20"].Left);
        Assert.Equal(1, kpis["rising"].Entered);
        Assert.Equal(0, kpis["passives"].Size);
    }

    [Fact]
    public void Results_NpsAndReturnRate_AreOverTheMembersThatHaveThem()
    {
        var kpis = RunShop().ToDictionary(k => k.Segment);

        Assert.Equal(3.0, kpis["detractors"].AverageNps);
        Assert.Equal(0, kpis["detractors"].ShareOfBuyers);
        Assert.Null(kpis["detractors"].RepeatPurchaseRate);
        Assert.Equal(0.6, kpis["not-worth-investing"].ReturnRate!.Value, 10);
    }

    [Fact]
    public void Results_CustomSegmentTargets_SayWhetherTheyAreMet()
    {
        var targets = new Dictionary<string, IReadOnlyList<KpiTarget>>
        {
            ["my-top"] =
            [
                new KpiTarget { Metric = KpiMetrics.Size, Target = 2 },
                new KpiTarget { Metric = KpiMetrics.AveragePredictedClv, Target = 1000 },
                new KpiTarget { Metric = KpiMetrics.ReturnRate, Target = 0.1 },
                new KpiTarget { Metric = KpiMetrics.AverageNps, Target = 7 },
            ],
        };
        var calculator = new SegmentKpiCalculator(["my-top"]);
        calculator.Add(Mvc, ["my-top"]);
        calculator.Add(SingleChannelTop, ["my-top"]);
        calculator.Add(Dormant, []);

        var results = Assert.Single(calculator.Results(targets)).Targets;

        Assert.Equal(
            [("size", 2.0, "atLeast", true), ("averagePredictedClv", 950.0, "atLeast", false), ("returnRate", 0.0, "atMost", true)],
            results.Take(3).Select(r => (r.Metric, r.Value!.Value, r.Comparison, r.Met)));
        Assert.Equal(new KpiResult("averageNps", 7, "atLeast", null, false), results[3]);
    }

    [Fact]
    public void CustomSegmentFromTheDefinitionsFile_GainsMembersAndKpis()
    {
        var segment = CustomSegmentDefinitions.Parse(ExampleDefinitions.Json).Single(s => s.Name == "detractors-high-value");
        var profiles = new[] { (Id: "vip", Nps: 3, Clv: 500m), (Id: "vip2", Nps: 5, Clv: 320m), (Id: "small", Nps: 2, Clv: 50m), (Id: "happy", Nps: 10, Clv: 900m) }
            .Select(p => new CustomerProfile
            {
                Id = p.Id,
                Nps = new NpsAnswer(p.Nps, DaysAgo(2)),
                OrderTotals = OrderTotals.Of([new OrderRecord { OrderKey = p.Id, PlacedAt = DaysAgo(40), VersionAt = DaysAgo(40), Gross = 100m }]),
                Value = new CustomerValueScore { RunId = "run-1", Method = "bgnbd+gammagamma", PredictedClv = p.Clv, PAlive = 0.8, ExpectedPurchases = 2 },
            }).ToList();
        var calculator = new SegmentKpiCalculator([segment.Name]);

        foreach (var profile in profiles)
        {
            var input = SegmentInputs.FromProfile(profile, null, AsOf);
            var member = segment.Evaluate(profile.Id, ProfileVariables.Of(profile, AsOf), out _);
            calculator.Add(input, member is null ? [] : [member.Segment]);
        }

        var kpis = Assert.Single(calculator.Results(new Dictionary<string, IReadOnlyList<KpiTarget>> { [segment.Name] = segment.Definition.Kpis }));
        Assert.Equal(2, kpis.Size);
        Assert.Equal(410m, kpis.AveragePredictedClv);
        Assert.Equal(2, kpis.Entered);
        Assert.Equal([("averageNps", 4.0, false), ("size", 2.0, true)], kpis.Targets.Select(t => (t.Metric, t.Value!.Value, t.Met)));
    }
}
