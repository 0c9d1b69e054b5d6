using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.BgNbd;

public class BgNbdModelTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_OnCdnow_ReproducesPublishedEstimates()
    {
        var fit = BgNbdModel.Fit(CdnowData.SummaryWithTransactions);
        output.WriteLine($"BG/NBD CDNOW: {fit.Parameters}, LL {fit.LogLikelihood:F3}, {fit.Iterations} iterations, {fit.FitSeconds * 1000:F1} ms, {fit.UniqueRows} rows; {fit.StatusMessage}");

        Assert.True(fit.Converged, fit.StatusMessage);
        AssertRelative(0.2426, fit.Parameters.R, 0.002);
        AssertRelative(4.414, fit.Parameters.Alpha, 0.002);
        AssertRelative(0.7929, fit.Parameters.A, 0.002);
        AssertRelative(2.426, fit.Parameters.B, 0.002);
        AssertRelative(-9582.43, fit.LogLikelihood, 0.002);
        Assert.Equal(-9582.43, fit.LogLikelihood, 1);
        Assert.Equal(2357, fit.Observations);
        Assert.Equal(1.2259, fit.ExpectedPurchases(39, 2, 30.43, 38.86), 3);
    }

    [Fact]
    public void Fit_OnCdnow_ReportsPlausibleStandardErrors()
    {
        var fit = BgNbdModel.Fit(CdnowData.SummaryWithTransactions);
        output.WriteLine(string.Join(Environment.NewLine, fit.Summary));

        // Published standard errors are not in the paper; lifetimes reports about 0.0128, 0.378, 0.185, 0.706.
        Assert.InRange(fit.StandardErrors.R, 0.008, 0.02);
        Assert.InRange(fit.StandardErrors.Alpha, 0.25, 0.5);
        Assert.InRange(fit.StandardErrors.A, 0.1, 0.3);
        Assert.InRange(fit.StandardErrors.B, 0.4, 1.1);
        Assert.All(fit.Summary, p => Assert.True(p.Lower95 < p.Value && p.Value < p.Upper95));
    }

    [Fact]
    public void Fit_OnSimulatedShop_RecoversGenerativeParameters()
    {
        // Continuous times: recording whole days merges same-day purchases, which (by design of the summary rules)
        // hides about 4 % of a heavy-tailed customer base's purchases and biases alpha upwards by a few percent.
        var truth = GenerativeParameters.ShopInDays;
        var rows = CustomerBaseSimulator.SimulateSummaries(100_000, 730, truth, new Random(42), wholeTimeUnits: false);

        var fit = BgNbdModel.Fit(rows);
        output.WriteLine($"recovered {fit.Parameters} ± {fit.StandardErrors}; {fit.UniqueRows} rows; {fit.FitSeconds * 1000:F0} ms; {fit.StatusMessage}");

        Assert.True(fit.Converged, fit.StatusMessage);
        AssertWithin(truth.R, fit.Parameters.R, fit.StandardErrors.R);
        AssertWithin(truth.Alpha, fit.Parameters.Alpha, fit.StandardErrors.Alpha);
        AssertWithin(truth.A, fit.Parameters.A, fit.StandardErrors.A);
        AssertWithin(truth.B, fit.Parameters.B, fit.StandardErrors.B);
    }

    [Fact]
    public void Fit_OnAMillionSimulatedCustomers_IsTimed()
    {
        var rows = CustomerBaseSimulator.SimulateSummaries(1_000_000, 365, GenerativeParameters.ShopInDays, new Random(1));
        var fit = BgNbdModel.Fit(rows);
        output.WriteLine($"1M customers: {fit.UniqueRows} unique rows, {fit.FitSeconds:F3} s, {fit.Iterations} iterations, {fit.Parameters}; {fit.StatusMessage}");
        Assert.True(fit.Converged, fit.StatusMessage);
    }

    [Fact]
    public void Fit_WhereTheLikelihoodIsFlatToRoundingAtTheOptimum_ConvergesOnTheGradient()
    {
        // This shop's optimum is flat to the rounding of its summed likelihood: the line search used to reject the
        // converged step for noise and end on "function change" after 86 evaluations instead of 25.
        var rows = CustomerBaseSimulator.SimulateSummaries(20_000, 365, GenerativeParameters.ShopInDays, new Random(8));

        var fit = BgNbdModel.Fit(rows);
        output.WriteLine(fit.StatusMessage);

        Assert.Equal(FitStatus.Converged, fit.Status);
        Assert.StartsWith("BFGS: GradientConverged", fit.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_WithPenalizer_ShrinksParameters()
    {
        var plain = BgNbdModel.Fit(CdnowData.SummaryWithTransactions);
        var penalized = BgNbdModel.Fit(CdnowData.SummaryWithTransactions, new FitOptions { Penalizer = 0.1 });

        Assert.True(penalized.Converged, penalized.StatusMessage);
        Assert.True(penalized.Parameters.Alpha < plain.Parameters.Alpha);
        Assert.True(penalized.LogLikelihood < plain.LogLikelihood);
        Assert.Equal(0.1, penalized.Penalizer);
    }

    [Fact]
    public void Fit_WithTooFewRepeatBuyers_ReturnsFlaggedThinDataEstimate()
    {
        var data = new[]
        {
            new CustomerSummary("a", 0, 0, 30, 0),
            new CustomerSummary("b", 2, 10, 40, 25),
            new CustomerSummary("c", 0, 0, 12, 0),
        };

        var fit = BgNbdModel.Fit(data);

        Assert.Equal(FitStatus.ThinDataEstimate, fit.Status);
        Assert.True(fit.IsThinDataEstimate);
        Assert.False(fit.Converged);
        Assert.Contains("Thin data", fit.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(82.0 / 3, fit.Parameters.Alpha, 10);
        Assert.True(double.IsNaN(fit.StandardErrors.R));
        Assert.True(fit.ExpectedPurchases(52, 2, 10, 40) > 0);
    }

    [Fact]
    public void Fit_WithBrokenRows_ThrowsWithRowNumbers()
    {
        var data = new[]
        {
            new CustomerSummary("ok", 1, 5, 10, 20),
            new CustomerSummary("late", 1, 12, 10, 20),
            new CustomerSummary("zero", 0, 3, 10, 0),
        };

        var error = Assert.Throws<ModelInputException>(() => BgNbdModel.Fit(data));

        Assert.Equal(2, error.Issues.Count);
        Assert.Equal(2, error.Issues[0].Row);
        Assert.Contains("recency 12 is greater than T 10", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Issues[1].Row);
        Assert.Contains("row 3 (customer 'zero'): recency 3 must be 0 when frequency is 0", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertRelative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"expected {expected} within {tolerance:P1}, got {actual}");

    private static void AssertWithin(double expected, double actual, double standardError) =>
        Assert.True(Math.Abs(actual - expected) <= 4 * standardError, $"expected {expected}, got {actual} ± {standardError}");
}
