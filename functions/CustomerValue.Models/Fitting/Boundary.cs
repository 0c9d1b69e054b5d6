using System.Globalization;

namespace CustomerValue.Models.Fitting;

/// <summary>When a fit counts as heading for a boundary of its model, and helpers to report the limit fitted instead.</summary>
internal static class Boundary
{
    /// <summary>
    /// A limit model replaces the full one when its log-likelihood is at most this much lower: a likelihood-ratio
    /// statistic of 0.02, far below any significance level, so the data cannot tell them apart.
    /// </summary>
    public const double Tolerance = 0.01;

    /// <summary>
    /// Whether to try the limit: only for unpenalised fits (a penalty keeps the parameters finite), and when BFGS ran off,
    /// the Hessian was not positive definite, no stage converged, or the size parameter <paramref name="scale"/> (a + b,
    /// s or 1/s, …) is beyond 1e3, where the model is within a fraction of a log-likelihood unit of its limit.
    /// </summary>
    public static bool IsSuspect(MaximumLikelihoodResult result, FitOptions options, double scale) =>
        options.Penalizer == 0 && result.Status != FitStatus.ThinDataEstimate && double.IsFinite(result.LogLikelihood)
        && (result.RanOff || result.HessianPositiveDefinite == false || scale > 1e3
            || result.Status is FitStatus.LineSearchFailed or FitStatus.MaxIterationsReached);

    /// <summary>Why the limit was tried, in words.</summary>
    public static string Describe(string model, string where, MaximumLikelihoodResult full) => string.Create(
        CultureInfo.InvariantCulture,
        $"{model} headed for a boundary ({where}, {full.Status}, Hessian {(full.HessianPositiveDefinite == false ? "not positive definite" : "positive definite")}, LL {full.LogLikelihood:F3})");

    /// <summary>D C D for the diagonal Jacobian D of a change of parameters; null stays null.</summary>
    public static double[,]? Scale(double[,]? covariance, double[] jacobian)
    {
        if (covariance is null)
        {
            return null;
        }

        int n = jacobian.Length;
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                result[i, j] = jacobian[i] * covariance[i, j] * jacobian[j];
            }
        }

        return result;
    }
}
