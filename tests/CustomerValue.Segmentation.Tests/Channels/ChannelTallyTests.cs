using CustomerValue.Segmentation.Channels;

namespace CustomerValue.Segmentation.Tests.Channels;

/// <summary>
/// The channel table is now added up buyer by buyer (sums, counts, and two doubles per buyer for the intervals' spread);
/// these tests hold it to the figures the table had when it grouped a list of every buyer, computed here the old way.
/// </summary>
public sealed class ChannelTallyTests
{
    /// <summary>A small shop of uneven buyers: cents and odd fractions in the money, missing P(alive), channels of 1 to 70 buyers.</summary>
    private static List<ChannelCustomer> Shop()
    {
        var random = new Random(20261202);
        string?[] channels = ["google/cpc", "meta/paid", "referral", "newsletter", null, "(unknown)", "tiktok"];
        var buyers = new List<ChannelCustomer>();
        for (var i = 0; i < 260; i++)
        {
            var channel = channels[Math.Min(channels.Length - 1, (int)Math.Floor(Math.Pow(random.NextDouble(), 2) * channels.Length))];
            var gross = decimal.Round((decimal)(random.NextDouble() * 900), 2);
            var refunds = random.Next(4) == 0 ? decimal.Round(gross * (decimal)random.NextDouble(), 2) : 0m;
            var clv = decimal.Round((decimal)(random.NextDouble() * random.NextDouble() * 1_500), 2);
            var profit = decimal.Round(clv * 0.37m - (random.Next(6) * 4.5m), 2);
            double? alive = random.Next(5) == 0 ? null : Math.Round(random.NextDouble(), 4);
            buyers.Add(new ChannelCustomer(channel, gross - refunds, gross, refunds, clv, profit, alive, random.Next(5) == 0, profit <= 0));
        }

        buyers.Add(new ChannelCustomer("solo", 10m, 10m, 0m, 12.5m, 3m, 0.4, false, false));
        return buyers;
    }

    [Fact]
    public void Compute_EqualsTheTableGroupedFromEveryBuyer()
    {
        var buyers = Shop();

        var table = ChannelQuality.Compute(buyers, minCustomers: 30);

        var expected = ListBased(buyers, 30);
        Assert.Equal(expected.Shop, table.Shop);
        Assert.Equal(expected.Rows, table.Rows);
        Assert.Contains(table.Rows, r => r.Verdict is ChannelQuality.Invest or ChannelQuality.Reduce or ChannelQuality.Keep);
        Assert.Contains(table.Rows, r => r.Customers == 1);
    }

    [Fact]
    public void Compute_Twice_GivesTheSameTable()
    {
        var tally = new ChannelTally();
        foreach (var buyer in Shop())
        {
            tally.Add(buyer);
        }

        var first = tally.Compute();
        var second = tally.Compute();

        Assert.Equal(first.Shop, second.Shop);
        Assert.Equal(first.Rows, second.Rows);
    }

    /// <summary>The table as it was computed from a list of every buyer, before the tally (kept here as the reference).</summary>
    private static ChannelQualityTable ListBased(List<ChannelCustomer> all, int minCustomers)
    {
        var shop = Row("(all)", all, null, minCustomers);
        var rows = all.GroupBy(b => b.AcquisitionChannel ?? ChannelQuality.Unknown, StringComparer.Ordinal)
            .Select(g => Row(g.Key, [.. g], shop.AveragePredictedProfit, minCustomers))
            .OrderByDescending(r => r.Customers).ThenBy(r => r.Channel, StringComparer.Ordinal)
            .ToList();
        return new ChannelQualityTable(rows, shop);
    }

    private static ChannelQualityRow Row(string channel, List<ChannelCustomer> customers, decimal? shopProfit, int minCustomers)
    {
        var n = customers.Count;
        var clv = Mean([.. customers.Select(c => c.PredictedClv)]);
        var profit = Mean([.. customers.Select(c => c.PredictedProfit)]);
        var gross = customers.Sum(c => c.GrossRevenue);
        var alive = customers.Where(c => c.PAlive is not null).Select(c => c.PAlive!.Value).ToList();
        var verdict = shopProfit is not { } average ? null
            : n < minCustomers ? ChannelQuality.NotEnoughData
            : profit.Low > average ? ChannelQuality.Invest
            : profit.High < average ? ChannelQuality.Reduce
            : ChannelQuality.Keep;
        return new ChannelQualityRow
        {
            Channel = channel,
            Customers = n,
            NetRevenue = customers.Sum(c => c.NetRevenue),
            AverageNetRevenue = n == 0 ? 0m : decimal.Round(customers.Sum(c => c.NetRevenue) / n, 2),
            AveragePredictedClv = clv.Mean,
            PredictedClvInterval = new Interval90(clv.Low, clv.High),
            AveragePredictedProfit = profit.Mean,
            PredictedProfitInterval = new Interval90(profit.Low, profit.High),
            ShareTop20 = n == 0 ? 0 : (double)customers.Count(c => c.InTop20) / n,
            ShareNotWorthInvesting = n == 0 ? 0 : (double)customers.Count(c => c.NotWorthInvesting) / n,
            ReturnRate = gross <= 0m ? 0 : (double)(customers.Sum(c => c.Refunds) / gross),
            AveragePAlive = alive.Count == 0 ? null : alive.Average(),
            Verdict = verdict,
        };
    }

    private static (decimal Mean, decimal Low, decimal High) Mean(List<decimal> values)
    {
        if (values.Count == 0)
        {
            return (0m, 0m, 0m);
        }

        var mean = values.Sum() / values.Count;
        if (values.Count < 2)
        {
            return (decimal.Round(mean, 2), decimal.Round(mean, 2), decimal.Round(mean, 2));
        }

        var m = (double)mean;
        var variance = values.Sum(v => ((double)v - m) * ((double)v - m)) / (values.Count - 1);
        var half = (decimal)(ChannelQuality.Z90 * Math.Sqrt(variance / values.Count));
        return (decimal.Round(mean, 2), decimal.Round(mean - half, 2), decimal.Round(mean + half, 2));
    }
}
