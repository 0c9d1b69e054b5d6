using System.Diagnostics;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Fitting;

/// <summary>
/// Property: whatever the data (generated from each model with random parameters, or a boundary case), no fit,
/// likelihood, P(alive), expected purchase count or CLV is NaN or infinite, and every fit ends in bounded time.
/// Hand-rolled generators with fixed seeds keep failures reproducible.
/// </summary>
public class NoNaNPropertyTests(ITestOutputHelper output)
{
    private static readonly ValuationOptions Valuation = new() { HorizonMonths = 12, IncludeNextPurchase = true, TimeUnitsPerMonth = 30.4375 };
    private static readonly GammaGammaParameters Spend = new(6, 4, 15);

    public static TheoryData<string> Datasets() => [.. Cases().Keys];

    [Theory]
    [MemberData(nameof(Datasets))]
    public void EveryFitAndPrediction_IsFinite(string dataset)
    {
        var rows = Cases()[dataset]();
        var fits = new List<(string Name, ModelFit Fit, IRepeatPurchaseModel Model)>();
        var clock = Stopwatch.StartNew();
        var bg = BgNbdModel.Fit(rows);
        fits.Add(("BG/NBD", bg, bg));
        var pareto = ParetoNbdModel.Fit(rows);
        fits.Add(("Pareto/NBD", pareto, pareto));
        var mbg = MbgNbdModel.Fit(rows);
        fits.Add(("MBG/NBD", mbg, mbg));
        clock.Stop();

        foreach (var (name, fit, model) in fits)
        {
            output.WriteLine($"{dataset} {name}: {fit.Status}, {fit.Limit}, LL {fit.LogLikelihood:F3}, {fit.FitSeconds * 1000:F0} ms, {string.Join(", ", fit.Summary.Select(p => $"{p.Name} {p.Value:G4}"))}");
            Assert.True(double.IsFinite(fit.LogLikelihood), $"{name} LL {fit.LogLikelihood}");
            Assert.All(fit.Summary, p => Assert.True(double.IsFinite(p.Value), $"{name} {p}"));
            var scores = CustomerValuation.Score(model, Spend, rows, Valuation);
            for (int i = 0; i < rows.Length; i++)
            {
                var s = scores[i];
                Assert.True(s.ProbabilityAlive is >= 0 and <= 1, $"{name} row {i} {rows[i]}: P(alive) {s.ProbabilityAlive}");
                Assert.True(double.IsFinite(s.ExpectedPurchases) && s.ExpectedPurchases >= 0, $"{name} row {i} {rows[i]}: E[Y] {s.ExpectedPurchases}");
                Assert.True(double.IsFinite(s.PredictedClv), $"{name} row {i} {rows[i]}: CLV {s.PredictedClv}");
                Assert.True(double.IsFinite(model.ExpectedPurchases(365)), $"{name}: E[X(365)]");
            }
        }

        Assert.True(double.IsFinite(bg.Parameters.LogLikelihood(rows[0].Frequency, rows[0].Recency, rows[0].T)));
        Assert.True(double.IsFinite(pareto.Parameters.LogLikelihood(rows[0].Frequency, rows[0].Recency, rows[0].T)));
        Assert.True(double.IsFinite(mbg.Parameters.LogLikelihood(rows[0].Frequency, rows[0].Recency, rows[0].T)));
        Assert.True(clock.Elapsed.TotalSeconds < 120, // a guard against the old hangs, not a speed target
            $"{dataset}: fits took {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static Dictionary<string, Func<SummaryRow[]>> Cases()
    {
        var cases = new Dictionary<string, Func<SummaryRow[]>>(StringComparer.Ordinal);
        for (int seed = 1; seed <= 6; seed++)
        {
            int s = seed;
            cases[$"BG/NBD random parameters, seed {s}"] = () =>
            {
                var random = new Random(100 + s);
                var p = new GenerativeParameters(
                    0.1 + 3 * random.NextDouble(), 1 + 100 * random.NextDouble(), 0.2 + 5 * random.NextDouble(), 0.5 + 20 * random.NextDouble(), 6, 4, 15);
                return CustomerBaseSimulator.SimulateSummaries(300, 730, p, random);
            };
            cases[$"exponential lifetimes, seed {s}"] = () => ShopGenerator.ExponentialLifetimes(300, 0.5 + s, 10 + 10 * s, 100 * s, s, out _);
        }

        cases["no drop-out"] = () => ShopGenerator.ExponentialLifetimes(300, 2, 30, 1e9, 7, out _);
        cases["constant drop-out probability"] = () =>
            CustomerBaseSimulator.SimulateSummaries(300, 730, new GenerativeParameters(1.5, 40, 1e5, 9e5, 6, 4, 15), new Random(8));
        cases["all one-time buyers"] = () => [.. Enumerable.Range(0, 200).Select(i => new SummaryRow(0, 0, 1 + i % 50, 0))];
        cases["all T = 0"] = () => [.. Enumerable.Repeat(new SummaryRow(0, 0, 0, 0), 50)];
        cases["one customer"] = () => [new SummaryRow(3, 20, 40, 12)];
        cases["huge x among CDNOW"] = () => [.. CdnowData.SummaryWithTransactions.Select(c => c.ToRow()), new SummaryRow(100_000, 38, 38.86, 10)];
        cases["everybody bought every day"] = () => [.. Enumerable.Range(1, 100).Select(i => new SummaryRow(i, i, i, 10))];
        return cases;
    }
}
