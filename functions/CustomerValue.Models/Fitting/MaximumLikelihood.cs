using System.Diagnostics;
using System.Globalization;
using CustomerValue.Models.Optimization;

namespace CustomerValue.Models.Fitting;

/// <summary>
/// Maximum likelihood in log-parameter space: BFGS on the analytic gradient; if BFGS does not converge,
/// Nelder–Mead from the best point followed by a BFGS polish; standard errors from the Hessian.
/// </summary>
internal static class MaximumLikelihood
{
    /// <summary>
    /// The search is confined to 1e-10 ≤ θᵢ ≤ 1e10 (|ln θᵢ| ≤ 23): beyond, the objective is +∞, as where undefined. A fit that
    /// wants to go further is heading for a limit of the model (a, b → ∞, s → 0, …), which the models fit separately.
    /// </summary>
    public const double MaxLogParameter = 23.03;

    /// <summary>|ln θᵢ| beyond which a BFGS result counts as running off to a boundary (then no Nelder–Mead fallback).</summary>
    public const double RunOffLogParameter = 13.8;

    /// <summary>
    /// Minimises f(φ) = −ℓ(e^φ)/N + λ Σ e^(2φ_i) over φ = ln θ, with ∂f/∂φ_i = θ_i (−∂ℓ/∂θ_i / N + 2 λ θ_i).
    /// Standard errors: square roots of the diagonal of H⁻¹, H the Hessian of −ℓ(θ) + N λ Σ θ² in the natural scale,
    /// obtained by central differences (relative step 1e-5) of the analytic gradient and symmetrised.
    /// </summary>
    public static MaximumLikelihoodResult Fit(ILogLikelihood likelihood, double[] initialTheta, FitOptions options, Stopwatch clock)
    {
        if (!(options.Penalizer >= 0) || double.IsInfinity(options.Penalizer))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Penalizer, "The L2 penalizer must be a finite number >= 0.");
        }

        if (options.MaxIterations < 1 || !(options.GradientTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxIterations must be >= 1 and GradientTolerance > 0.");
        }

        int n = likelihood.ParameterCount;
        double weight = likelihood.TotalWeight;
        double penalizer = options.Penalizer;
        var theta = new double[n];
        var gradient = new double[n];

        double Objective(ReadOnlySpan<double> phi, Span<double> g)
        {
            for (int i = 0; i < n; i++)
            {
                if (!(Math.Abs(phi[i]) <= MaxLogParameter))
                {
                    return double.PositiveInfinity;
                }

                theta[i] = Math.Exp(phi[i]);
            }

            double ll = likelihood.Evaluate(theta, gradient);
            double penalty = 0;
            for (int i = 0; i < n; i++)
            {
                penalty += theta[i] * theta[i];
                g[i] = theta[i] * (-gradient[i] / weight + 2 * penalizer * theta[i]);
            }

            return -ll / weight + penalizer * penalty;
        }

        // Plain loops rather than LINQ on this path: LINQ over double is not in the ReadyToRun images and would be
        // JIT-compiled on the first fit of every process.
        var start = new double[initialTheta.Length];
        for (int i = 0; i < start.Length; i++)
        {
            start[i] = Math.Log(initialTheta[i]);
        }

        var stages = new List<string>();
        var bfgs = BfgsMinimizer.Minimize(Objective, start, options.GradientTolerance, options.MaxIterations);
        stages.Add(Describe("BFGS", bfgs));
        var best = bfgs;
        int iterations = bfgs.Iterations;
        FitStatus status;
        bool ranOff = false;
        foreach (double v in bfgs.Point)
        {
            ranOff |= Math.Abs(v) > RunOffLogParameter;
        }

        ranOff &= double.IsFinite(bfgs.Value);
        if (bfgs.Converged)
        {
            status = bfgs.Status == OptimizationStatus.GradientConverged ? FitStatus.Converged : FitStatus.ConvergedOnFunctionChange;
        }
        else if (ranOff)
        {
            // Heading for a boundary: the simplex would only crawl further along a flat ridge; the caller fits the limit.
            status = bfgs.Status == OptimizationStatus.MaxIterationsReached ? FitStatus.MaxIterationsReached : FitStatus.LineSearchFailed;
            stages.Add("a parameter ran off beyond 1e6 or below 1e-6: no Nelder–Mead fallback");
        }
        else
        {
            var from = double.IsFinite(bfgs.Value) ? bfgs.Point : start;
            var simplex = NelderMeadMinimizer.Minimize(Objective, from, 0.25, 1e-10, Math.Max(options.MaxIterations, 2000));
            stages.Add(Describe("Nelder–Mead fallback", simplex));
            iterations += simplex.Iterations;
            var polish = BfgsMinimizer.Minimize(Objective, simplex.Point, options.GradientTolerance, options.MaxIterations);
            stages.Add(Describe("BFGS polish", polish));
            iterations += polish.Iterations;
            best = new[] { bfgs, simplex, polish }.Where(r => double.IsFinite(r.Value)).OrderBy(r => r.Value).FirstOrDefault() ?? bfgs;
            status = polish.Status == OptimizationStatus.GradientConverged ? FitStatus.ConvergedAfterFallback
                : simplex.Converged ? FitStatus.ConvergedWithNelderMead
                : bfgs.Status == OptimizationStatus.NonFiniteObjective && simplex.Status == OptimizationStatus.NonFiniteObjective ? FitStatus.NonFiniteLikelihood
                : simplex.Status == OptimizationStatus.MaxIterationsReached ? FitStatus.MaxIterationsReached
                : FitStatus.LineSearchFailed;
        }

        var thetaHat = new double[best.Point.Length];
        for (int i = 0; i < thetaHat.Length; i++)
        {
            thetaHat[i] = Math.Exp(best.Point[i]);
        }

        var errors = new double[n];
        for (int i = 0; i < n; i++)
        {
            errors[i] = double.NaN;
        }

        double logLikelihood = likelihood.Evaluate(thetaHat, gradient);
        double[,]? covariance = null;
        bool? positiveDefinite = null;
        if (options.ComputeStandardErrors && double.IsFinite(logLikelihood))
        {
            covariance = Covariance(likelihood, thetaHat, penalizer * weight);
            positiveDefinite = covariance is not null;
            if (covariance is null)
            {
                stages.Add("Hessian not positive definite at the estimate: standard errors unavailable");
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    errors[i] = Math.Sqrt(covariance[i, i]);
                }
            }
        }

        string message = string.Join("; ", stages) + ".";
        return new MaximumLikelihoodResult(thetaHat, errors, covariance, logLikelihood, status, message, iterations, clock.Elapsed.TotalSeconds)
        {
            HessianPositiveDefinite = positiveDefinite,
            RanOff = ranOff,
        };
    }

    /// <summary>Inverse of the Hessian of −ℓ(θ) + λN Σ θ² (central differences of the analytic gradient); null if not positive definite.</summary>
    internal static double[,]? Covariance(ILogLikelihood likelihood, double[] theta, double scaledPenalizer)
    {
        int n = theta.Length;
        var hessian = new double[n, n];
        var plus = new double[n];
        var minus = new double[n];
        var point = (double[])theta.Clone();
        for (int j = 0; j < n; j++)
        {
            double h = 1e-5 * theta[j];
            point[j] = theta[j] + h;
            likelihood.Evaluate(point, plus);
            point[j] = theta[j] - h;
            likelihood.Evaluate(point, minus);
            point[j] = theta[j];
            for (int i = 0; i < n; i++)
            {
                hessian[i, j] = -(plus[i] - minus[i]) / (2 * h);
            }

            hessian[j, j] += 2 * scaledPenalizer;
        }

        var symmetric = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                symmetric[i, j] = 0.5 * (hessian[i, j] + hessian[j, i]);
                if (!double.IsFinite(symmetric[i, j]))
                {
                    return null;
                }
            }
        }

        return PositiveDefiniteInverse.Of(symmetric);
    }

    private static string Describe(string stage, OptimizationResult result) => string.Create(
        CultureInfo.InvariantCulture,
        $"{stage}: {result.Status} after {result.Iterations} iterations ({result.Evaluations} evaluations, objective {result.Value:G10}{(double.IsNaN(result.GradientNorm) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", max |gradient| {result.GradientNorm:G3}"))})");
}
