using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>
/// The Model health page: every run's fitted parameters with their standard errors, and for the latest run the
/// holdout comparison, the calibration chart and the distributions of predicted CLV and P(alive). Charts are rendered
/// here, once per request, from the run record.
/// </summary>
public sealed record ModelHealthModel
{
    /// <summary>Every run, newest first.</summary>
    public IReadOnlyList<RecomputeRun> Runs { get; init; } = [];

    /// <summary>The latest run.</summary>
    public RecomputeRun? Latest => Runs.Count == 0 ? null : Runs[0];

    /// <summary>The calibration chart (SVG), when the latest run has a calibration table.</summary>
    public string? CalibrationSvg { get; init; }

    /// <summary>The predicted-CLV histogram (SVG).</summary>
    public string? ClvSvg { get; init; }

    /// <summary>The P(alive) histogram (SVG).</summary>
    public string? AliveSvg { get; init; }

    /// <summary>Reads the runs and draws the latest run's charts.</summary>
    public static async Task<ModelHealthModel> LoadAsync(RunQueries runs, ChartCache charts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(charts);
        var history = (await runs.HistoryAsync(cancellationToken)).Reverse().ToList();
        var latest = history.FirstOrDefault();
        var comparison = latest?.Model?.Comparison;
        var distributions = latest?.Distributions;
        return new ModelHealthModel
        {
            Runs = history,
            CalibrationSvg = comparison is { CalibrationTable.Count: > 0 }
                ? charts.GetOrRender("calibration:" + latest!.Id, () => SvgChart.Render(CalibrationChart.Plot(comparison.CalibrationTable, comparison.Winner), CalibrationChart.Title))
                : null,
            ClvSvg = distributions is { PredictedClv.Total: > 0 }
                ? charts.GetOrRender("clv:" + latest!.Id, () => SvgChart.Render(HistogramChart.Plot(distributions.PredictedClv, "Predicted 12-month CLV", "predicted CLV"), "Distribution of predicted 12-month CLV over buyers"))
                : null,
            AliveSvg = distributions is { PAlive.Total: > 0 }
                ? charts.GetOrRender("alive:" + latest!.Id, () => SvgChart.Render(HistogramChart.Plot(distributions.PAlive, "P(alive)", "probability the customer is still active"), "Distribution of P(alive) over modelled buyers"))
                : null,
        };
    }
}
