using CustomerValue.Models.Fitting;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.SpecialFunctions;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.MbgNbd;

public class MbgNbdModelTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_OnCdnow_ReproducesBtydPlusEstimates()
    {
        // lifetimes' test_params_out_is_close_to_BTYDplus: r 0.525, α 6.183, a 0.891, b 1.614 (to 3 decimals).
        var fit = MbgNbdModel.Fit(CdnowData.SummaryWithTransactions);
        output.WriteLine($"MBG/NBD CDNOW: {fit.Parameters}, LL {fit.LogLikelihood:F3}, {fit.Iterations} iterations, {fit.FitSeconds * 1000:F1} ms; {fit.StatusMessage}");
        output.WriteLine(string.Join(Environment.NewLine, fit.Summary));

        Assert.True(fit.Converged, fit.StatusMessage);
        Assert.True(fit.HessianPositiveDefinite);
        Assert.Equal(0.525, fit.Parameters.R, 0.0015);
        Assert.Equal(6.183, fit.Parameters.Alpha, 0.0015);
        Assert.Equal(0.891, fit.Parameters.A, 0.0015);
        Assert.Equal(1.614, fit.Parameters.B, 0.0015);
        Assert.All(fit.Summary, p => Assert.True(p.StandardError > 0 && double.IsFinite(p.StandardError)));

        // lifetimes' conditional-expectation check (BG/NBD's published 1.226, within 0.05).
        Assert.Equal(1.226, fit.ExpectedPurchases(39, 2, 30.43, 38.86), 0.05);
    }

    [Fact]
    public void AnalyticGradient_MatchesFiniteDifferences()
    {
        var data = RfmData.FromSummaries(CdnowData.SummaryWithTransactions);
        var likelihood = new MbgNbdLikelihood(data);
        double[] theta = [0.525, 6.183, 0.891, 1.614];
        var gradient = new double[4];
        double ll = likelihood.Evaluate(theta, gradient);

        var reference = new MbgNbdParameters(theta[0], theta[1], theta[2], theta[3]);
        double direct = data.X.Select((x, i) => data.Weight[i] * reference.LogLikelihood(x, data.Tx[i], data.T[i])).Sum();
        Assert.Equal(direct, ll, 1e-8 * Math.Abs(direct));
        for (int j = 0; j < 4; j++)
        {
            double h = 1e-5 * theta[j];
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (likelihood.Evaluate(plus, new double[4]) - likelihood.Evaluate(minus, new double[4])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"d/d{j}: analytic {gradient[j]}, numeric {numeric}");
        }
    }

    [Theory]
    [InlineData(0, 0, 30)]
    [InlineData(2, 30.43, 38.86)]
    [InlineData(7, 10, 38)]
    public void ExpectedPurchases_EulerForm_EqualsThePublishedForm(double x, double tx, double T)
    {
        var p = new MbgNbdParameters(0.525, 6.183, 0.891, 1.614);
        const double t = 39;
        double z = t / (p.Alpha + T + t);
        double published = (p.A + p.B + x) / (p.A - 1)
            * (1 - Math.Pow((p.Alpha + T) / (p.Alpha + T + t), p.R + x) * Hypergeometric.Gauss2F1(p.R + x, p.B + x + 1, p.A + p.B + x, z))
            * p.ProbabilityAlive(x, tx, T);

        Assert.Equal(published, p.ExpectedPurchases(t, x, tx, T), 1e-12 * Math.Abs(published));
    }

    [Fact]
    public void Predictions_AreConsistent()
    {
        var p = new MbgNbdParameters(0.525, 6.183, 0.891, 1.614);

        Assert.True(p.ProbabilityAlive(0, 1, 1) < 1); // one-time buyers may have left (unlike BG/NBD)
        for (int x = 0; x < 100; x += 10)
        {
            for (int tx = 0; tx < 100; tx += 10)
            {
                for (int T = tx; T < 100; T += 10)
                {
                    Assert.InRange(p.ProbabilityAlive(x, x == 0 ? 0 : tx, T), 0, 1);
                }
            }
        }

        // E[X(t)] = b/(a−1) [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))] (BDF eq. A4).
        double t = 32;
        double expected = p.B / (p.A - 1) * (1 - Math.Pow(p.Alpha / (p.Alpha + t), p.R) * Hypergeometric.Gauss2F1(p.R, p.B + 1, p.A + p.B, t / (p.Alpha + t)));
        Assert.Equal(expected, p.ExpectedPurchases(t), 1e-12);
        Assert.True(double.IsFinite(p.ExpectedPurchases(52, 5000, 38, 38.86)));
    }
}
