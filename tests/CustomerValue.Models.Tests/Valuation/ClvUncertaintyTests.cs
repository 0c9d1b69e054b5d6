using System.Diagnostics;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Valuation;

public class ClvUncertaintyTests(ITestOutputHelper output)
{
    private static readonly ValuationOptions Weekly = new() { HorizonMonths = 12, TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Weeks) };

    [Fact]
    public void Compute_OnCdnow_GivesDeterministicIntervalsAroundThePointAndTop20Probabilities()
    {
        var customers = CdnowData.SummaryWithTransactions;
        var rows = customers.Select(c => c.ToRow()).ToArray();
        var purchases = BgNbdModel.Fit(customers);
        var spend = GammaGammaModel.Fit(customers);
        var clock = Stopwatch.StartNew();

        var intervals = ClvUncertainty.Compute(purchases, spend, rows, Weekly, draws: 100, seed: 7);
        clock.Stop();
        var again = ClvUncertainty.Compute(purchases, spend, rows, Weekly, draws: 100, seed: 7);
        var point = CustomerValuation.Score(purchases, spend.Parameters, rows, Weekly);
        output.WriteLine($"{clock.Elapsed.TotalMilliseconds:F0} ms for {rows.Length} customers x 100 draws");
        foreach (int i in new[] { 0, 1, 2, 100, 1000 })
        {
            output.WriteLine($"{rows[i]}: {intervals[i]}");
        }

        Assert.Equal(intervals, again);
        Assert.All(intervals.Zip(point), p =>
        {
            Assert.Equal(p.Second.PredictedClv, p.First.Clv, 1e-9 * Math.Max(1, Math.Abs(p.First.Clv)));
            Assert.True(p.First.Lower <= p.First.Upper && double.IsFinite(p.First.Lower) && double.IsFinite(p.First.Upper));
            Assert.InRange(p.First.ProbabilityTop20, 0, 1);
        });
        double inside = intervals.Count(v => v.Lower <= v.Clv * 1.0000001 && v.Clv <= v.Upper * 1.0000001) / (double)intervals.Length;
        Assert.True(inside > 0.95, $"{inside:P1} of the point estimates inside their interval");
        Assert.Contains(intervals, v => v.Upper > v.Lower * 1.01); // parameter uncertainty shows

        // Each draw puts ⌈0.2 n⌉ customers in the top 20 % (more only on ties), so the probabilities sum to about that.
        Assert.InRange(intervals.Sum(v => v.ProbabilityTop20), Math.Ceiling(0.2 * rows.Length), 0.25 * rows.Length);
        var ranked = intervals.OrderByDescending(v => v.Clv).ToArray();
        Assert.True(ranked[0].ProbabilityTop20 > 0.99);
        Assert.True(ranked[^1].ProbabilityTop20 < 0.01);
    }

    [Fact]
    public void Compute_ForABoundaryFit_StaysFinite()
    {
        var rows = ShopGenerator.BoundaryShop(out _);
        var purchases = BgNbdModel.Fit(rows);
        var spend = GammaGammaModel.Fit(rows);

        var intervals = ClvUncertainty.Compute(purchases, spend, rows, new ValuationOptions(), draws: 50);

        Assert.NotNull(purchases.ConstantDropout);
        Assert.All(intervals, v => Assert.True(double.IsFinite(v.Lower) && double.IsFinite(v.Upper) && v.Lower <= v.Upper));
    }
}
