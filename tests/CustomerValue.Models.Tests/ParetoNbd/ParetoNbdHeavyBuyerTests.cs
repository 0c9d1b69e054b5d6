using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Tests.BgNbd;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.ParetoNbd;

/// <summary>
/// CDNOW plus one heavy buyer. The reference values are lifetimes 0.11.3's: with x = 1500, t_x = 38.5, T = 38.86
/// (weeks; a customer of the CDNOW cohort who bought about 40 times a week until the last days) it reports r 0.27833,
/// α 3.92939, s 0.95756, β 29.3249; with x = 900, t_x = T = 38.86 its log-likelihood is −7821.334.
/// </summary>
public class ParetoNbdHeavyBuyerTests(ITestOutputHelper output)
{
    private static List<CustomerSummary> WithHeavyBuyer(double x, double tx, double T) =>
        [.. CdnowData.SummaryWithTransactions, new CustomerSummary("heavy", x, tx, T, 10)];

    [Fact]
    public void Fit_WithAHeavyBuyer_MatchesLifetimes()
    {
        var fit = ParetoNbdModel.Fit(WithHeavyBuyer(1500, 38.5, 38.86));
        output.WriteLine($"{fit.Parameters}, LL {fit.LogLikelihood:F3}, {fit.Iterations} iterations, {fit.FitSeconds * 1000:F0} ms; {fit.StatusMessage}");

        Assert.True(fit.Converged, fit.StatusMessage);
        BgNbdModelTests.AssertRelative(0.27833, fit.Parameters.R, 1e-4);
        BgNbdModelTests.AssertRelative(3.92939, fit.Parameters.Alpha, 1e-4);
        BgNbdModelTests.AssertRelative(0.95756, fit.Parameters.S, 1e-4);
        BgNbdModelTests.AssertRelative(29.3249, fit.Parameters.Beta, 1e-4);
        Assert.True(fit.FitSeconds < 60, $"{fit.FitSeconds:F2} s"); // a guard against the old hangs (minutes), not a speed target

        // lifetimes' point is not better than ours: our likelihood there is at most ours at the estimate.
        var theirs = new ParetoNbdParameters(0.27833, 3.92939, 0.95756, 29.3249);
        double atTheirs = WithHeavyBuyer(1500, 38.5, 38.86).Sum(c => theirs.LogLikelihood(c.Frequency, c.Recency, c.T));
        Assert.True(atTheirs <= fit.LogLikelihood + 1e-9, $"{atTheirs} > {fit.LogLikelihood}");
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1500)]
    [InlineData(10_000)]
    [InlineData(100_000)]
    public void Fit_WithHeavyBuyersOfAnySize_IsFiniteEverywhere(double x)
    {
        var data = WithHeavyBuyer(x, 38.86, 38.86);

        var fit = ParetoNbdModel.Fit(data);
        output.WriteLine($"x = {x}: {fit.Parameters}, LL {fit.LogLikelihood:F3}, {fit.FitSeconds * 1000:F0} ms, {fit.Status}");

        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.True(double.IsFinite(fit.LogLikelihood));
        Assert.All(data, c =>
        {
            Assert.InRange(fit.ProbabilityAlive(c.Frequency, c.Recency, c.T), 0, 1);
            Assert.True(double.IsFinite(fit.ExpectedPurchases(52, c.Frequency, c.Recency, c.T)));
        });
        Assert.True(fit.FitSeconds < 60, $"{fit.FitSeconds:F2} s"); // a guard against the old hangs (minutes), not a speed target
    }

    [Fact]
    public void Fit_ForHeavyBuyersFrom550To900_FindsTheBestOptimum()
    {
        // The old series failed its line search here and the fallback stopped at a worse point (x = 900: −7821.687).
        // Every fit must be at least as good as a fit started from its neighbour's optimum.
        ParetoNbdFit? previous = null;
        for (double x = 550; x <= 900; x += 50)
        {
            var data = WithHeavyBuyer(x, 38.86, 38.86);
            var fit = ParetoNbdModel.Fit(data);
            output.WriteLine($"x = {x}: LL {fit.LogLikelihood:F3}, {fit.Parameters}, {fit.Status}, {fit.FitSeconds * 1000:F0} ms");
            Assert.True(fit.Converged, fit.StatusMessage);
            if (previous is not null)
            {
                var p = previous.Parameters;
                var warm = ParetoNbdModel.Fit(data, new() { InitialParameters = [p.R, p.Alpha, p.S, p.Beta] });
                Assert.True(fit.LogLikelihood >= warm.LogLikelihood - 1e-6, $"x = {x}: {fit.LogLikelihood} < {warm.LogLikelihood}");
            }

            previous = fit;
        }

        Assert.Equal(-7821.334, previous!.LogLikelihood, 3);
    }
}
