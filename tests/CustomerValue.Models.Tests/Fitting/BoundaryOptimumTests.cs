using System.Diagnostics;
using System.Globalization;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Fitting;

public class BoundaryOptimumTests(ITestOutputHelper output)
{
    private static readonly ValuationOptions Valuation = new() { HorizonMonths = 12, IncludeNextPurchase = true };

    [Fact]
    public void BgNbd_OnAShopWhoseOptimumIsOnTheBoundary_FitsTheConstantDropoutLimitAndScoresFast()
    {
        var rows = ShopGenerator.BoundaryShop(out int orders);
        var clock = Stopwatch.StartNew();

        var fit = BgNbdModel.Fit(rows);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        var scores = CustomerValuation.Score(fit, new GammaGammaParameters(6, 4, 15), rows, Valuation);
        clock.Stop();
        output.WriteLine($"{orders} orders; {fit.Limit}: {string.Join(", ", fit.Summary)}; LL {fit.LogLikelihood:F3}; PD {fit.HessianPositiveDefinite}");
        output.WriteLine($"fit {fitSeconds * 1000:F0} ms, fit + score {clock.Elapsed.TotalMilliseconds:F0} ms; {fit.StatusMessage}");

        Assert.Equal(3829, orders);
        Assert.Equal(ModelLimit.ConstantDropoutProbability, fit.Limit);
        Assert.NotNull(fit.ConstantDropout);
        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.True(fit.HessianPositiveDefinite, fit.StatusMessage);
        Assert.Contains("boundary", fit.StatusMessage, StringComparison.Ordinal);
        Assert.Equal(["r", "alpha", "p"], fit.Summary.Select(p => p.Name));
        Assert.All(fit.Summary, p => Assert.True(p.StandardError > 0 && double.IsFinite(p.StandardError), p.ToString()));
        Assert.All(scores, s =>
        {
            Assert.True(double.IsFinite(s.ExpectedPurchases) && double.IsFinite(s.PredictedClv), s.ToString());
            Assert.InRange(s.ProbabilityAlive, 0, 1);
        });
        Assert.True(clock.Elapsed.TotalSeconds < 30, $"{clock.Elapsed.TotalSeconds:F2} s"); // a guard against the old 88 s hang, not a speed target

        // The limit is the supremum of the full model: the BG/NBD likelihood approaches it along a/(a+b) = p.
        var p = fit.ConstantDropout!;
        double near = rows.Sum(c => new BgNbdParameters(p.R, p.Alpha, p.P * 1e9, (1 - p.P) * 1e9).LogLikelihood(c.Frequency, c.Recency, c.T));
        Assert.Equal(fit.LogLikelihood, near, 1e-3);
        Assert.Equal(fit.ExpectedPurchases(365, 4, 200, 400), new BgNbdParameters(p.R, p.Alpha, p.P * 1e9, (1 - p.P) * 1e9).ExpectedPurchases(365, 4, 200, 400), 1e-5);
    }

    [Fact]
    public void ParetoNbd_OnTheSameShop_FitsTheCommonDropoutRateLimit()
    {
        // Everybody's lifetime is exponential with mean 400 days: the Pareto/NBD runs off to s, β → ∞ with s/β = μ.
        var rows = ShopGenerator.BoundaryShop(out _);
        var clock = Stopwatch.StartNew();

        var fit = ParetoNbdModel.Fit(rows);
        var scores = CustomerValuation.Score(fit, new GammaGammaParameters(6, 4, 15), rows, Valuation);
        clock.Stop();
        output.WriteLine($"{fit.Limit}: {string.Join(", ", fit.Summary)}; LL {fit.LogLikelihood:F3}; PD {fit.HessianPositiveDefinite}; {clock.Elapsed.TotalMilliseconds:F0} ms; {fit.StatusMessage}");

        Assert.Equal(ModelLimit.ConstantDropoutRate, fit.Limit);
        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.True(fit.HessianPositiveDefinite);
        Assert.InRange(1 / fit.ConstantRate!.Mu, 250, 650); // the generating mean lifetime is 400 days
        Assert.All(scores, s => Assert.True(double.IsFinite(s.ExpectedPurchases) && double.IsFinite(s.PredictedClv) && s.ProbabilityAlive is >= 0 and <= 1, s.ToString()));
        Assert.True(clock.Elapsed.TotalSeconds < 60, $"{clock.Elapsed.TotalSeconds:F2} s"); // a guard against the old 411 s fit, not a speed target

        // The limit agrees with a Pareto/NBD point far out on the ray s = μ β.
        var c = fit.ConstantRate;
        var far = new ParetoNbdParameters(c.R, c.Alpha, c.Mu * 1e9, 1e9);
        Assert.Equal(far.LogLikelihood(4, 200, 400), c.LogLikelihood(4, 200, 400), 1e-6);
        Assert.Equal(far.ProbabilityAlive(4, 200, 400), c.ProbabilityAlive(4, 200, 400), 1e-6);
        Assert.Equal(far.ExpectedPurchases(365, 4, 200, 400), c.ExpectedPurchases(365, 4, 200, 400), 1e-6);
    }

    [Fact]
    public void ConstantRateLikelihood_GradientMatchesFiniteDifferences()
    {
        var data = RfmData.FromRows(ShopGenerator.BoundaryShop(out _));
        var likelihood = new ConstantRateLikelihood(data);
        double[] theta = [1.7, 50, 0.0025];
        var gradient = new double[3];
        likelihood.Evaluate(theta, gradient);
        for (int j = 0; j < 3; j++)
        {
            double h = 1e-5 * theta[j];
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (likelihood.Evaluate(plus, new double[3]) - likelihood.Evaluate(minus, new double[3])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"d/d{j}: analytic {gradient[j]}, numeric {numeric}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConstantDropoutLimit_IsTheLimitOfBgNbdAndMbgNbd_AndItsGradientIsExact(bool dropsAfterFirstPurchase)
    {
        var limit = new ConstantDropoutParameters(1.6, 47, 0.07, dropsAfterFirstPurchase);
        IRepeatPurchaseModel far = dropsAfterFirstPurchase
            ? new MbgNbdParameters(1.6, 47, 0.07 * 1e9, 0.93 * 1e9)
            : new BgNbdParameters(1.6, 47, 0.07 * 1e9, 0.93 * 1e9);
        Func<double, double, double, double> farLogLikelihood = dropsAfterFirstPurchase
            ? ((MbgNbdParameters)far).LogLikelihood
            : ((BgNbdParameters)far).LogLikelihood;
        foreach (var (x, tx, T) in new[] { (0.0, 0.0, 300.0), (4.0, 200.0, 400.0), (30.0, 500.0, 520.0) })
        {
            Assert.Equal(farLogLikelihood(x, tx, T), limit.LogLikelihood(x, tx, T), 1e-5);
            Assert.Equal(far.ProbabilityAlive(x, tx, T), limit.ProbabilityAlive(x, tx, T), 1e-7);
            Assert.Equal(far.ExpectedPurchases(365, x, tx, T), limit.ExpectedPurchases(365, x, tx, T), 1e-5);
        }

        var data = RfmData.FromRows(ShopGenerator.BoundaryShop(out _));
        var likelihood = new ConstantDropoutLikelihood(data, dropsAfterFirstPurchase);
        double[] theta = [1.6, 47, 0.075];
        var gradient = new double[3];
        double ll = likelihood.Evaluate(theta, gradient);
        var at = new ConstantDropoutParameters(1.6, 47, 0.075 / 1.075, dropsAfterFirstPurchase);
        Assert.Equal(data.X.Select((x, i) => data.Weight[i] * at.LogLikelihood(x, data.Tx[i], data.T[i])).Sum(), ll, 1e-8 * Math.Abs(ll));
        for (int j = 0; j < 3; j++)
        {
            double h = 1e-5 * theta[j];
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (likelihood.Evaluate(plus, new double[3]) - likelihood.Evaluate(minus, new double[3])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"d/d{j}: analytic {gradient[j]}, numeric {numeric}");
        }
    }

    [Fact]
    public void MbgNbd_OnTheBoundaryShop_IsFiniteAndReportsItsLimit()
    {
        var rows = ShopGenerator.BoundaryShop(out _);

        var fit = MbgNbdModel.Fit(rows);
        var scores = CustomerValuation.Score(fit, new GammaGammaParameters(6, 4, 15), rows, Valuation);
        output.WriteLine($"{fit.Limit}: {string.Join(", ", fit.Summary)}; LL {fit.LogLikelihood:F3}; {fit.FitSeconds * 1000:F0} ms; {fit.StatusMessage}");

        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.Equal(fit.Limit == ModelLimit.ConstantDropoutProbability, fit.ConstantDropout is { DropsAfterFirstPurchase: true });
        Assert.All(scores, s => Assert.True(double.IsFinite(s.ExpectedPurchases) && double.IsFinite(s.PredictedClv) && s.ProbabilityAlive is >= 0 and <= 1, s.ToString()));
    }

    [Fact]
    public void Fits_AtAnInteriorOptimum_ReportNoLimitAndAPositiveDefiniteHessian()
    {
        var bg = BgNbdModel.Fit(CdnowData.SummaryWithTransactions);
        var pareto = ParetoNbdModel.Fit(CdnowData.SummaryWithTransactions);

        Assert.Equal(ModelLimit.None, bg.Limit);
        Assert.Equal(ModelLimit.None, pareto.Limit);
        Assert.True(bg.HessianPositiveDefinite);
        Assert.True(pareto.HessianPositiveDefinite);
        Assert.Null(bg.ConstantDropout);
    }

    [Fact]
    public void ParetoNbd_OnCustomersWhoNeverDropOut_FitsTheNoDropoutLimit()
    {
        // Exponential lifetimes with a mean of 10^7 days: nobody leaves within two years.
        var rows = ShopGenerator.ExponentialLifetimes(2000, 1.5, 40, 1e7, 3, out _);

        var fit = ParetoNbdModel.Fit(rows);
        output.WriteLine($"{fit.Limit}: {fit.Parameters}; LL {fit.LogLikelihood:F3}; {fit.FitSeconds * 1000:F0} ms; {fit.StatusMessage}");

        Assert.Equal(ModelLimit.NoDropout, fit.Limit);
        Assert.Equal(0, fit.Parameters.S);
        Assert.Equal(1, fit.ProbabilityAlive(3, 10, 500));
        Assert.Equal((fit.Parameters.R + 3) * 30 / (fit.Parameters.Alpha + 500), fit.ExpectedPurchases(30, 3, 10, 500), 1e-12);
        Assert.InRange(fit.Parameters.R / fit.Parameters.Alpha, 1 / 60.0, 1 / 25.0);
    }

    [Fact]
    public void ParetoNbd_OnOnlineRetail_ReachesTheNoDropoutOptimum()
    {
        // The full fit used to stop short of the boundary (LL −61823.602); lifetimes reaches −61823.591.
        var transactions = File.ReadLines(CdnowData.PathOf("online_retail_invoices.csv")).Skip(1)
            .Select(line => line.Split(','))
            .Select(f => new Transaction(f[2], DateTime.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture), decimal.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
        var summaries = TransactionSummarizer.Summarize(transactions, transactions.Max(t => t.Date), TimeUnit.Days).Summaries;

        var fit = ParetoNbdModel.Fit(summaries);
        output.WriteLine($"{summaries.Count} customers; {fit.Limit}: {fit.Parameters}; LL {fit.LogLikelihood:F3}; {fit.FitSeconds:F2} s; {fit.StatusMessage}");

        Assert.Equal(4338, summaries.Count);
        Assert.Equal(ModelLimit.NoDropout, fit.Limit);
        Assert.Equal(-61823.591, fit.LogLikelihood, 3);
        Assert.True(fit.HessianPositiveDefinite);
        Assert.All(fit.Summary.Take(2), p => Assert.True(p.StandardError > 0));
    }
}
