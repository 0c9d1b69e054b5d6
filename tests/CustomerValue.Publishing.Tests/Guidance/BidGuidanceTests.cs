using CustomerValue.Publishing.Guidance;

namespace CustomerValue.Publishing.Tests.Guidance;

public sealed class BidGuidanceTests
{
    [Fact]
    public void Segments_GetProfitTimesRatio_AndABidRelativeToTheAverageCustomer()
    {
        var guidance = BidGuidance.ForSegments(
            [new SegmentFigures("top-20", 20, 500m), new SegmentFigures("middle-60", 60, 100m), new SegmentFigures("not-worth-investing", 10, -20m), new SegmentFigures("empty", 0, null)],
            averagePredictedClv: 200m, grossMargin: 0.4m, targetRatio: 0.3m).ToDictionary(g => g.Segment);

        Assert.Equal(200m, guidance["top-20"].AveragePredictedProfit);
        Assert.Equal(60m, guidance["top-20"].MaxCostPerMember);
        Assert.Equal(1.5, guidance["top-20"].BidAdjustment);
        Assert.Equal(12m, guidance["middle-60"].MaxCostPerMember);
        Assert.Equal(-0.5, guidance["middle-60"].BidAdjustment);
        Assert.Equal(0m, guidance["not-worth-investing"].MaxCostPerMember);
        Assert.Equal(BidGuidance.MinAdjustment, guidance["not-worth-investing"].BidAdjustment);
        Assert.StartsWith("exclude", guidance["not-worth-investing"].Advice, StringComparison.Ordinal);
        Assert.False(guidance.ContainsKey("empty"));
    }

    [Fact]
    public void Channels_ReduceGivesUpItsShare_InvestChannelsShareItByPredictedProfit()
    {
        var guidance = BidGuidance.ForChannels(
            [new ChannelFigures("tiktok", 100, 5m, "reduce"), new ChannelFigures("email", 50, 60m, "invest"), new ChannelFigures("search", 100, 10m, "invest"), new ChannelFigures("social", 80, 20m, "keep")],
            shiftShare: 0.2).ToDictionary(g => g.Channel);

        Assert.Equal(-0.2, guidance["tiktok"].BudgetShift);
        Assert.Equal(0.75, guidance["email"].BudgetShift); // 3000 of 4000 predicted profit
        Assert.Equal(0.25, guidance["search"].BudgetShift);
        Assert.Equal(0, guidance["social"].BudgetShift);
    }
}
