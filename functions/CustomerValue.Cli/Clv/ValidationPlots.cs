using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Validation;
using CustomerValue.Models.Valuation;
using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// <c>clv validate --plot DIR</c>: the dashboard's charts as PNG files: one calibration chart per model checked
/// (<c>calibration-bgnbd.png</c>, ...), and the distributions of predicted 12-month CLV and P(alive) of BG/NBD with
/// Gamma-Gamma fitted on all the data (<c>clv-distribution.png</c>, <c>p-alive-distribution.png</c>).
/// </summary>
public static class ValidationPlots
{
    /// <summary>Width of every PNG.</summary>
    public const int Width = 900;

    /// <summary>Height of every PNG.</summary>
    public const int Height = 520;

    /// <summary>Writes the charts; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<(string Name, HoldoutReport Report)> reports, string inputPath, string layout, TimeUnit unit, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(reports);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (name, report) in reports)
        {
            var file = Path.Combine(folder, $"calibration-{Slug(name)}.png");
            CalibrationChart.Plot(report.Rows, name).SavePng(file, Width, Height);
            written.Add(file);
        }

        var data = ClvInputLoader.Load(inputPath, layout, unit, null);
        var purchases = BgNbdModel.Fit(data.Summaries, options);
        var spend = ClvFitter.FitSpend(data, options, required: false, []);
        var valuation = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(data.Unit) };
        var scores = CustomerValuation.Score(purchases, spend?.Parameters ?? new GammaGammaParameters(1, 2, 1), data.Summaries, valuation);
        var distributions = ValueDistributions.Of(scores.Select(s => ((decimal)(double.IsFinite(s.PredictedClv) ? s.PredictedClv : 0), (double?)s.ProbabilityAlive)));
        var clv = Path.Combine(folder, "clv-distribution.png");
        HistogramChart.Plot(distributions.PredictedClv, "Predicted 12-month CLV (BG/NBD + Gamma-Gamma)", "predicted CLV").SavePng(clv, Width, Height);
        var alive = Path.Combine(folder, "p-alive-distribution.png");
        HistogramChart.Plot(distributions.PAlive, "P(alive) (BG/NBD)", "probability the customer is still active").SavePng(alive, Width, Height);
        written.Add(clv);
        written.Add(alive);
        return written;
    }

    private static string Slug(string name) => new([.. name.ToLowerInvariant().Where(char.IsLetterOrDigit)]);
}
