using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Simulation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Fitting;

public class FallbackTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_WhenBfgsRunsOutOfIterations_FallsBackToNelderMeadAndSaysSo()
    {
        var fit = BgNbdModel.Fit(CdnowData.SummaryWithTransactions, new FitOptions { MaxIterations = 3 });
        output.WriteLine($"{fit.Status}: {fit.StatusMessage}");

        Assert.Contains("BFGS: MaxIterationsReached after 3 iterations", fit.StatusMessage, StringComparison.Ordinal);
        Assert.Contains("Nelder–Mead fallback", fit.StatusMessage, StringComparison.Ordinal);
        Assert.Contains(fit.Status, new[] { FitStatus.ConvergedWithNelderMead, FitStatus.ConvergedAfterFallback, FitStatus.MaxIterationsReached });
        Assert.Equal(fit.Status != FitStatus.MaxIterationsReached, fit.Converged);
        Assert.True(fit.LogLikelihood > -9600, $"LL {fit.LogLikelihood}");
    }

    [Fact]
    public void Fit_FromAFarStartingPoint_StillFindsThePublishedOptimum()
    {
        var fit = BgNbdModel.Fit(CdnowData.SummaryWithTransactions, new FitOptions { InitialParameters = [50, 0.01, 20, 0.05] });
        output.WriteLine($"{fit.Parameters}: {fit.StatusMessage}");

        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.Equal(-9582.43, fit.LogLikelihood, 1);
    }

    [Fact]
    public void ParetoNbd_OnDailySimulatedShop_Converges()
    {
        // BG/NBD-generated data in days: Pareto/NBD is misspecified here but must still converge with large alpha, beta.
        var rows = CustomerBaseSimulator.SimulateSummaries(20_000, 730, GenerativeParameters.ShopInDays, new Random(4));

        var fit = ParetoNbdModel.Fit(rows);
        output.WriteLine($"{fit.Parameters} ± {fit.StandardErrors}; {fit.FitSeconds * 1000:F0} ms; {fit.StatusMessage}");

        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.InRange(fit.Parameters.R / fit.Parameters.Alpha, 0.004, 0.02); // purchase rate per day, near the truth r/alpha = 0.0079
    }

    [Fact]
    public void Fit_WithNegativePenalizer_IsRejectedClearly()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BgNbdModel.Fit(CdnowData.SummaryWithTransactions, new FitOptions { Penalizer = -1 }));

        Assert.Contains("penalizer", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
