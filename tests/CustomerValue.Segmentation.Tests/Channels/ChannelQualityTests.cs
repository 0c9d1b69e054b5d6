using CustomerValue.Segmentation.Channels;
using CustomerValue.Segmentation.Segments;
using static CustomerValue.Segmentation.Tests.Segments.SegmentShop;

namespace CustomerValue.Segmentation.Tests.Channels;

public sealed class ChannelQualityTests
{
    /// <summary>n buyers of a channel whose profits spread ±spread around a centre (deterministically).</summary>
    private static IEnumerable<ChannelCustomer> Buyers(string? channel, int n, decimal centre, decimal spread = 20m, bool top = false, bool bad = false) =>
        Enumerable.Range(0, n).Select(i =>
        {
            var profit = centre + spread * ((i % 5) - 2) / 2;
            return new ChannelCustomer(channel, 100m + i, 120m + i, 20m, profit, profit, 0.5 + (i % 2) * 0.2, top, bad);
        });

    private static ChannelQualityTable Table() => ChannelQuality.Compute(
        [.. Buyers("referral", 40, 300m, top: true), .. Buyers("google/cpc", 60, 192m), .. Buyers("meta/paid", 50, 40m, bad: true), .. Buyers("tiktok", 5, 900m), .. Buyers(null, 3, 100m)]);

    [Fact]
    public void Compute_GivesEachChannelAVerdictAgainstTheShopAverage()
    {
        var table = Table();

        Assert.Equal(
            [("google/cpc", 60, "keep"), ("meta/paid", 50, "reduce"), ("referral", 40, "invest"), ("tiktok", 5, "not enough data"), ("(unknown)", 3, "not enough data")],
            table.Rows.Select(r => (r.Channel, r.Customers, r.Verdict!)));
        Assert.Null(table.Shop.Verdict);
    }

    [Fact]
    public void Compute_IntervalIsTheNormalApproximationOfTheMean()
    {
        var referral = Table().Rows.Single(r => r.Channel == "referral");

        // Profits 280, 290, 300, 310, 320 repeated 8 times: mean 300, s = 10 × √(2 × 40 / 39) ≈ 14.32, half width 1.645 × s / √40.
        var half = ChannelQuality.Z90 * 10 * Math.Sqrt(2.0 * 40 / 39) / Math.Sqrt(40);
        Assert.Equal(300m, referral.AveragePredictedProfit);
        Assert.Equal(decimal.Round(300m - (decimal)half, 2), referral.PredictedProfitInterval.Low);
        Assert.Equal(decimal.Round(300m + (decimal)half, 2), referral.PredictedProfitInterval.High);
        Assert.Equal(1.0, referral.ShareTop20);
        Assert.Equal(0.6, referral.AveragePAlive!.Value, 10);
    }

    [Fact]
    public void Compute_RowsAddUpToTheShop()
    {
        var table = Table();

        Assert.Equal(table.Shop.Customers, table.Rows.Sum(r => r.Customers));
        Assert.Equal(table.Shop.NetRevenue, table.Rows.Sum(r => r.NetRevenue));
        // Averages are rounded to cents: weighted back up, each customer may be off by half a cent.
        Assert.InRange(table.Shop.AverageNetRevenue * table.Shop.Customers - table.Rows.Sum(r => r.AverageNetRevenue * r.Customers), -0.005m * 158, 0.005m * 158);
        Assert.InRange(table.Shop.AveragePredictedProfit * table.Shop.Customers - table.Rows.Sum(r => r.AveragePredictedProfit * r.Customers), -0.005m * 158, 0.005m * 158);
        Assert.Equal(table.Shop.ShareNotWorthInvesting * table.Shop.Customers, table.Rows.Sum(r => r.ShareNotWorthInvesting * r.Customers), 6);
    }

    [Fact]
    public void Compute_FromARunOfTheShop_TakesTheRunsSegmentsAndProfit()
    {
        var context = Context();
        var buyers = All.Where(i => i.HasPurchased)
            .Select(i => ChannelCustomer.From(i, context, SegmentRegistry.Evaluate(i, context).Select(m => m.Segment)));

        var row = Assert.Single(ChannelQuality.Compute(buyers).Rows);

        Assert.Equal(("google/cpc", 10, 0.2, 0.1), (row.Channel, row.Customers, row.ShareTop20, row.ShareNotWorthInvesting));
        Assert.Equal(336m, row.AveragePredictedProfit);
        Assert.Equal("not enough data", row.Verdict);
    }
}
