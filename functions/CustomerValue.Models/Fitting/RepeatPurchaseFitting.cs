using System.Diagnostics;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Fitting;

/// <summary>
/// The steps every repeat-purchase model's fit shares (as lifetimes' BaseFitter._fit does for its models): refuse an
/// empty input, use the documented thin-data estimate below <see cref="FitOptions.MinimumRepeatBuyers"/>, check the
/// caller's start point, and maximise the likelihood. What follows (the model's boundary limits) stays with the model.
/// </summary>
internal static class RepeatPurchaseFitting
{
    /// <summary>
    /// Fits <paramref name="likelihood"/> to <paramref name="data"/>; with too few repeat buyers returns the thin-data
    /// estimate instead, with status <see cref="FitStatus.ThinDataEstimate"/> (which <see cref="Boundary.IsSuspect"/>
    /// never takes for a boundary).
    /// </summary>
    /// <param name="model">The model's name in messages, e.g. "BG/NBD".</param>
    /// <param name="parameterNames">Its parameters in order, e.g. "r, alpha, a, b".</param>
    /// <param name="thinRule">How the thin-data estimate is made, in words.</param>
    /// <param name="data">The compressed summaries.</param>
    /// <param name="likelihood">The model's log-likelihood over <paramref name="data"/>.</param>
    /// <param name="options">Fit options.</param>
    /// <param name="clock">Started when the fit was asked for.</param>
    /// <param name="thinEstimate">The thin-data estimate from Σ x and Σ T (weighted by customers).</param>
    /// <param name="start">The default start point from Σ x and Σ T.</param>
    public static MaximumLikelihoodResult Fit(
        string model, string parameterNames, string thinRule, RfmData data, ILogLikelihood likelihood, FitOptions options, Stopwatch clock,
        Func<double, double, double[]> thinEstimate, Func<double, double, double[]> start)
    {
        if (data.Count == 0)
        {
            throw new ModelInputException($"{model} needs at least one customer summary; the input is empty.");
        }

        double sumX = 0, sumT = 0;
        for (int i = 0; i < data.Count; i++)
        {
            sumX += data.Weight[i] * data.X[i];
            sumT += data.Weight[i] * data.T[i];
        }

        int n = likelihood.ParameterCount;
        if (data.RepeatBuyers < options.MinimumRepeatBuyers)
        {
            double[] theta = thinEstimate(sumX, sumT);
            double ll = likelihood.Evaluate(theta, new double[n]);
            string message = $"Thin data: {data.RepeatBuyers} repeat buyer(s) < {options.MinimumRepeatBuyers} required; not fitted. Simple estimate: {thinRule}.";
            return new MaximumLikelihoodResult(theta, Enumerable.Repeat(double.NaN, n).ToArray(), null, ll, FitStatus.ThinDataEstimate, message, 0, clock.Elapsed.TotalSeconds);
        }

        var initial = options.InitialParameters?.ToArray() ?? start(sumX, sumT);
        bool usable = initial.Length == n;
        foreach (double v in initial)
        {
            usable &= v > 0 && double.IsFinite(v); // a loop, not LINQ: LINQ over double is JIT-compiled in every fresh process
        }

        if (!usable)
        {
            throw new ArgumentException($"{model} initial parameters must be {(n == 4 ? "four" : n.ToString(System.Globalization.CultureInfo.InvariantCulture))} finite positive numbers ({parameterNames}).", nameof(options));
        }

        return MaximumLikelihood.Fit(likelihood, initial, options, clock);
    }
}
