using CustomerValue.Segmentation.Segments;
using static CustomerValue.Segmentation.Tests.Segments.SegmentShop;

namespace CustomerValue.Segmentation.Tests.Segments;

public sealed class BuiltInSegmentsTests
{
    public static TheoryData<string, string[]> ExpectedSegments => new()
    {
        { "mvc", ["top-20", "most-valuable"] },
        { "solo-top", ["top-20"] },
        { "rising", ["middle-60", "rising"] },
        { "due", ["middle-60", "due-soon"] },
        { "overdue", ["middle-60", "overdue"] },
        { "declining", ["middle-60", "declining"] },
        { "new", ["middle-60", "new-customers"] },
        { "promoter", ["middle-60", "promoters"] },
        { "returner", ["bottom-20", "not-worth-investing"] },
        { "dormant", ["bottom-20", "dormant"] },
        { "detractor", ["detractors", "loyalty-members"] },
        { "browser", [] },
    };

    [Theory]
    [MemberData(nameof(ExpectedSegments))]
    public void Evaluate_EachKindOfCustomer_IsInExactlyTheExpectedSegments(string profileId, string[] expected)
    {
        var input = All.Single(i => i.ProfileId == profileId);

        var segments = SegmentRegistry.Evaluate(input, Context()).Select(m => m.Segment);

        Assert.Equal(expected, segments);
    }

    [Theory]
    [InlineData("mvc", "most-valuable", "predictedProfit 1000.00 ≥ top-20 threshold 900.00; channels store+web within 365 days")]
    [InlineData("solo-top", "top-20", "predictedProfit 900.00 ≥ top-20 threshold 900.00")]
    [InlineData("rising", "rising", "tier bottom-20 → middle-60")]
    [InlineData("rising", "middle-60", "predictedProfit 400.00 < top-20 threshold 900.00 and > bottom-20 threshold 40.00")]
    [InlineData("due", "due-soon", "expectedNextOrder 2024-06-06 within 14 days")]
    [InlineData("overdue", "overdue", "expectedNextOrder 2024-04-22 passed by 40 days > 0.5 × averageGap 30; pAlive 0.6 ≥ 0.3")]
    [InlineData("declining", "declining", "predictedClv 600.00 → 200.00 (−66.7 % ≥ 30 %); lastOrder 2024-04-02 within 730 days")]
    [InlineData("new", "new-customers", "firstOrder 2024-05-22 within 30 days")]
    [InlineData("promoter", "promoters", "nps 10 in 9–10")]
    [InlineData("returner", "not-worth-investing", "returnRate 0.6 ≥ 0.5 over 4 orders")]
    [InlineData("returner", "bottom-20", "predictedProfit 40.00 ≤ bottom-20 threshold 40.00")]
    [InlineData("dormant", "dormant", "pAlive 0.1 < 0.3")]
    [InlineData("detractor", "detractors", "nps 3 in 0–6")]
    [InlineData("detractor", "loyalty-members", "loyalty club active")]
    public void Evaluate_GivesAMachineReadableReason(string profileId, string segment, string reason)
    {
        var input = All.Single(i => i.ProfileId == profileId);

        var match = SegmentRegistry.Evaluate(input, Context()).Single(m => m.Segment == segment);

        Assert.Equal(reason, match.Reason);
    }

    [Fact]
    public void MinProbabilityTop20_KeepsUncertainTopBuyersInMiddle60_AndOutOfMostValuable()
    {
        var segments = new SegmentOptions { Tiers = new TierOptions { MinProbabilityTop20 = 0.7 } };
        // No earlier run, so that neither a tier drop (declining) nor a climb muddies what the option does.
        var unsure = Mvc with { ProbabilityTop20 = 0.55, PreviousTier = null, PreviousPredictedClv = null, PreviousPercentile = null };
        var sure = Mvc with { ProbabilityTop20 = 0.9 };
        var unknown = Mvc with { ProbabilityTop20 = null };

        var unsureSegments = SegmentRegistry.Evaluate(unsure, Context(segments)).ToList();

        // Ranked at the top without the certainty: a potential top customer.
        Assert.Equal(["middle-60", "rising"], unsureSegments.Select(m => m.Segment));
        Assert.Equal("predictedProfit 1000.00 ≥ top-20 threshold 900.00 but P(top-20) 0.55 < 0.7", unsureSegments[0].Reason);
        Assert.Equal(["top-20", "most-valuable"], SegmentRegistry.Evaluate(sure, Context(segments)).Select(m => m.Segment));
        Assert.Equal(["top-20", "most-valuable"], SegmentRegistry.Evaluate(unknown, Context(segments)).Select(m => m.Segment));
        // Unset, ranking alone decides.
        Assert.Equal(["top-20", "most-valuable"], SegmentRegistry.Evaluate(unsure, Context()).Select(m => m.Segment));
    }

    [Fact]
    public void NotWorthInvesting_WhenCostToServeExceedsMarginOnPredictedClv_JoinsWithTheProfit()
    {
        // 3 expected orders × 40 + 3 × (1/4 returned) × 20 = 135 of cost against 200 × 0.6 = 120 of margin.
        var value = new ValueOptions { GrossMargin = 0.6m, CostPerOrder = 40m, CostPerReturn = 20m };

        var match = SegmentRegistry.Evaluate(Declining, Context(value: value)).Single(m => m.Segment == "not-worth-investing");

        Assert.Equal(-15m, PredictedProfit.Of(Declining, value));
        Assert.Equal("predictedProfit -15.00 ≤ 0.00", match.Reason);
    }

    [Fact]
    public void Dormant_OneTimeBuyerSilentForOverAYear_JoinsWithoutAModel()
    {
        var input = new SegmentInput { ProfileId = "once", Orders = 1, FirstOrderAt = DaysAgo(400), LastOrderAt = DaysAgo(400), NetRevenue = 50m };

        var match = new Segmentation.Segments.Rules.DormantRule().Evaluate(input, Context());

        Assert.Equal("daysSinceLastOrder 400 > 365 (one-time buyer)", match?.Reason);
    }

    [Fact]
    public void Dormant_SilentForMoreThanThreeOwnGaps_JoinsEvenWithAHighPAlive()
    {
        var input = DueSoon with { PAlive = 0.9, LastOrderAt = DaysAgo(100), AverageDaysBetweenOrders = 30 };

        var match = new Segmentation.Segments.Rules.DormantRule().Evaluate(input, Context());

        Assert.Equal("daysSinceLastOrder 100 > 3 × averageGap 30", match?.Reason);
    }

    [Fact]
    public void Rising_CloseToTheTopAndAlive_JoinsWithoutMovingATier()
    {
        var input = Promoter with { PredictedClv = 750m, PAlive = 0.8 };
        var context = Context() with { Thresholds = TierThresholds.Stored(900m, 40m, 10) };

        var match = new Segmentation.Segments.Rules.RisingRule().Evaluate(input, context);

        Assert.Equal("predictedProfit 750.00 ≥ 80 % of top-20 threshold 900.00; pAlive 0.8 ≥ 0.7", match?.Reason);
    }

    [Fact]
    public void Rising_GainingTwentyPercentilePoints_Joins()
    {
        var input = Promoter with { PreviousPercentile = 5 };

        var match = new Segmentation.Segments.Rules.RisingRule().Evaluate(input, Context());

        // 100 is the 3rd lowest of ten (two below it): (2 + 0.5) / 10.
        Assert.Equal("percentile 5 → 25 (gain ≥ 20)", match?.Reason);
    }

    [Fact]
    public void Declining_DroppingATierWhileARecentBuyer_Joins_ButNotAfterTwoYearsOfSilence()
    {
        var dropped = Promoter with { PreviousTier = "top-20" };
        var rule = new Segmentation.Segments.Rules.DecliningRule();

        Assert.Equal("tier top-20 → middle-60; lastOrder 2024-05-22 within 730 days", rule.Evaluate(dropped, Context())?.Reason);
        Assert.Null(rule.Evaluate(dropped with { LastOrderAt = DaysAgo(731) }, Context()));
    }

    [Fact]
    public void Thresholds_AreConfigurable()
    {
        var options = new SegmentOptions { DueSoon = { Days = 3 }, NewCustomers = { Days = 5 } };

        var segments = SegmentRegistry.Evaluate(DueSoon, Context(options)).Select(m => m.Segment)
            .Concat(SegmentRegistry.Evaluate(New, Context(options)).Select(m => m.Segment));

        Assert.DoesNotContain("due-soon", segments);
        Assert.DoesNotContain("new-customers", segments);
    }

    [Fact]
    public void Evaluate_RealTimeOnly_LeavesTheRankBasedSegmentsOut()
    {
        var segments = SegmentRegistry.Evaluate(Mvc, Context(), SegmentTiming.RealTime).Select(m => m.Segment);

        Assert.Equal(["most-valuable"], segments);
    }

    [Fact]
    public void RealTimeUpdate_KeepsTheRankBasedSegmentsAndDecidesTheRest()
    {
        // The rescore moved the next order out of the 14 days and an NPS answer arrived; the tiers wait for the recompute.
        var input = DueSoon with { ExpectedNextOrderAt = AsOf.AddDays(30), PreviousSegments = ["due-soon", "middle-60", "rising"], Nps = 10 };

        var (kept, decided) = SegmentRegistry.RealTimeUpdate(input, Context() with { Thresholds = TierThresholds.Stored(900m, 40m, 10) });

        Assert.Equal(["middle-60", "rising"], kept);
        Assert.Equal(["promoters"], decided.Select(m => m.Segment));
    }

    [Fact]
    public void Registry_ListsEveryBuiltInOnceWithItsTiming()
    {
        Assert.Equal(
            ["top-20", "middle-60", "bottom-20", "most-valuable", "rising", "declining", "dormant", "not-worth-investing", "due-soon", "overdue", "new-customers", "promoters", "passives", "detractors", "loyalty-members"],
            SegmentRegistry.BuiltIn.Select(r => r.Name));
        Assert.Equal(["top-20", "middle-60", "bottom-20", "rising", "declining"],
            SegmentRegistry.BuiltIn.Where(r => r.Timing == SegmentTiming.RankBased).Select(r => r.Name));
        Assert.All(SegmentRegistry.BuiltIn, r => Assert.False(string.IsNullOrWhiteSpace(r.Description + r.Definition)));
        Assert.True(SegmentRegistry.IsBuiltIn("dormant"));
        Assert.False(SegmentRegistry.IsBuiltIn("win-back"));
    }

    [Fact]
    public void Thresholds_TiesAtTheTopThresholdJoinTheTopTier()
    {
        var thresholds = TierThresholds.FromProfits([5m, 5m, 5m, 5m, 5m]);

        Assert.Equal("top-20", thresholds.TierOf(5m));
        Assert.Equal(5, thresholds.Ranked);
    }
}
