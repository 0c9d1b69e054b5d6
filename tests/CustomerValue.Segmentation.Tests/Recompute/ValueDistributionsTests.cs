using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Segmentation.Tests.Recompute;

public sealed class ValueDistributionsTests
{
    [Fact]
    public void Tally_GivesTheHistogramsOfTheWholeList()
    {
        var random = new Random(7);
        var buyers = Enumerable.Range(0, 400)
            .Select(i => (decimal.Round((decimal)(Math.Pow(random.NextDouble(), 3) * 3_000), 2), random.Next(4) == 0 ? (double?)null : Math.Round(random.NextDouble(), 4)))
            .Append((250_000m, 0.99))
            .ToList();
        var tally = new ValueDistributions.Tally();
        foreach (var (clv, alive) in buyers)
        {
            tally.Add(clv, alive);
        }

        var histograms = tally.Histograms();

        // As computed from the whole list before the tally: CLV over [min(0, lowest), 99th percentile], P(alive) over [0, 1].
        var sorted = buyers.Select(b => (double)b.Item1).Order().ToList();
        var top = Math.Max(sorted[(int)Math.Floor(0.99 * (sorted.Count - 1))], 1d);
        var clvHistogram = Histogram.Of(sorted, Math.Min(0d, sorted[0]), top);
        var aliveHistogram = Histogram.Of([.. buyers.Where(b => b.Item2 is not null).Select(b => b.Item2!.Value)], 0d, 1d);
        Assert.Equal(clvHistogram.Edges, histograms.PredictedClv.Edges);
        Assert.Equal(clvHistogram.Counts, histograms.PredictedClv.Counts);
        Assert.Equal(aliveHistogram.Counts, histograms.PAlive.Counts);
        Assert.Equal(buyers.Count, histograms.PredictedClv.Total);
        Assert.True(histograms.PredictedClv.Edges[^1] < 250_000, "the outlier does not stretch the bins");
    }
}
