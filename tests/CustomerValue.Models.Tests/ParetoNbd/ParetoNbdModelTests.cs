using CustomerValue.Models.Fitting;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Tests.BgNbd;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.ParetoNbd;

public class ParetoNbdModelTests(ITestOutputHelper output)
{
    [Fact]
    public void Fit_OnCdnow_ReproducesPublishedEstimates()
    {
        var fit = ParetoNbdModel.Fit(CdnowData.SummaryWithTransactions);
        output.WriteLine($"Pareto/NBD CDNOW: {fit.Parameters}, LL {fit.LogLikelihood:F3}, {fit.Iterations} iterations, {fit.FitSeconds * 1000:F1} ms; {fit.StatusMessage}");
        output.WriteLine(string.Join(Environment.NewLine, fit.Summary));

        Assert.True(fit.Converged, fit.StatusMessage);
        BgNbdModelTests.AssertRelative(0.553, fit.Parameters.R, 0.002);
        BgNbdModelTests.AssertRelative(10.578, fit.Parameters.Alpha, 0.002);
        BgNbdModelTests.AssertRelative(0.606, fit.Parameters.S, 0.002);
        BgNbdModelTests.AssertRelative(11.669, fit.Parameters.Beta, 0.002);
        BgNbdModelTests.AssertRelative(-9595.0, fit.LogLikelihood, 0.002);
        Assert.Equal(-9595.0, fit.LogLikelihood, 0);
        Assert.All(fit.Summary, p => Assert.True(p.StandardError > 0 && p.StandardError < p.Value));
    }

    [Theory]
    [InlineData(0.553, 10.578, 0.606, 11.669)] // alpha < beta branch
    [InlineData(0.9, 14.0, 1.4, 3.5)] // alpha > beta branch
    public void AnalyticGradient_MatchesFiniteDifferences(double r, double alpha, double s, double beta)
    {
        var data = RfmData.FromSummaries(CdnowData.SummaryWithTransactions);
        var likelihood = new ParetoNbdLikelihood(data);
        double[] theta = [r, alpha, s, beta];
        var gradient = new double[4];
        double ll = likelihood.Evaluate(theta, gradient);

        var reference = new ParetoNbdParameters(r, alpha, s, beta);
        double direct = data.X.Select((x, i) => data.Weight[i] * reference.LogLikelihood(x, data.Tx[i], data.T[i])).Sum();
        Assert.Equal(direct, ll, 1e-8 * Math.Abs(direct));

        for (int j = 0; j < 4; j++)
        {
            double h = 1e-4 * theta[j];
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (likelihood.Evaluate(plus, new double[4]) - likelihood.Evaluate(minus, new double[4])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"d/d{j}: analytic {gradient[j]}, numeric {numeric}");
        }
    }

    [Fact]
    public void Predictions_AreConsistent()
    {
        var model = new ParetoNbdParameters(0.553, 10.578, 0.606, 11.669);

        Assert.InRange(model.ProbabilityAlive(2, 30.43, 38.86), 0.5, 1);
        Assert.True(model.ProbabilityAlive(2, 5, 38.86) < model.ProbabilityAlive(2, 30.43, 38.86));
        Assert.Equal(1, model.ProbabilityAlive(3, 38.86, 38.86), 12);
        double e = model.ExpectedPurchases(39, 2, 30.43, 38.86);
        Assert.InRange(e, 0.8, 1.6);
        Assert.Equal(0.553 * 11.669 / (10.578 * -0.394) * (1 - Math.Pow(11.669 / (11.669 + 39), -0.394)), model.ExpectedPurchases(39), 10);
    }

    [Fact]
    public void Fit_WithTooFewRepeatBuyers_ReturnsFlaggedThinDataEstimate()
    {
        var fit = ParetoNbdModel.Fit([new CustomerSummary("a", 1, 3, 10, 5), new CustomerSummary("b", 0, 0, 20, 0)]);

        Assert.Equal(FitStatus.ThinDataEstimate, fit.Status);
        Assert.Equal(15, fit.Parameters.Alpha, 10);
        Assert.True(double.IsFinite(fit.LogLikelihood));
    }
}
