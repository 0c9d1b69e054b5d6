using CustomerValue.Models.ParetoNbd;

namespace CustomerValue.Models.Tests.ParetoNbd;

public class ParetoNbdIntegralTests
{
    [Theory]
    [InlineData(0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86)] // alpha < beta
    [InlineData(0.9, 14.0, 1.4, 3.5, 5, 10, 38)] // alpha > beta
    [InlineData(0.278, 3.93, 0.958, 29.3, 1000, 38, 38.86)] // heavy buyer: (r+x) in the thousands
    [InlineData(0.278, 3.93, 0.958, 29.3, 1000, 2, 38.86)]
    [InlineData(0.5, 40, 0.001, 0.5, 0, 0, 700)] // beta / alpha = 1 / 80: z near 1
    [InlineData(1.5, 68, 1e4, 300, 3, 120, 400)] // s in the thousands
    public void Series_AndQuadrature_Agree(double r, double alpha, double s, double beta, double x, double tx, double T)
    {
        var series = ParetoNbdIntegral.Series(r + x, alpha, s, beta, tx, T);
        var quadrature = ParetoNbdIntegral.Quadrature(r + x, alpha, s, beta, tx, T);

        Assert.True(double.IsFinite(series.Log));
        Assert.Equal(quadrature.Log, series.Log, 1e-12 * Math.Max(1, Math.Abs(series.Log)));
        Assert.Equal(quadrature.DR, series.DR, 1e-10 * Math.Max(1, Math.Abs(series.DR)));
        Assert.Equal(quadrature.DAlpha, series.DAlpha, 1e-10 * Math.Max(1, Math.Abs(series.DAlpha)));
        Assert.Equal(quadrature.DS, series.DS, 1e-10 * Math.Max(1, Math.Abs(series.DS)));
        Assert.Equal(quadrature.DBeta, series.DBeta, 1e-10 * Math.Max(1, Math.Abs(series.DBeta)));
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences_ForAHeavyBuyer()
    {
        double[] theta = [0.278, 3.93, 0.958, 29.3];
        var at = ParetoNbdIntegral.Evaluate(theta[0], theta[1], theta[2], theta[3], 1000, 20, 38.86);
        double[] analytic = [at.DR, at.DAlpha, at.DS, at.DBeta];
        for (int j = 0; j < 4; j++)
        {
            double h = 1e-6 * theta[j];
            var plus = (double[])theta.Clone();
            var minus = (double[])theta.Clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (ParetoNbdIntegral.Evaluate(plus[0], plus[1], plus[2], plus[3], 1000, 20, 38.86).Log
                - ParetoNbdIntegral.Evaluate(minus[0], minus[1], minus[2], minus[3], 1000, 20, 38.86).Log) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[j]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"d/d{j}: analytic {analytic[j]}, numeric {numeric}");
        }
    }
}
