using CustomerValue.Models.Validation;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>
/// Predicted against actual purchases in the holdout period, by purchases in the calibration period (as lifetimes'
/// <c>plot_calibration_purchases_vs_holdout_purchases</c>): a model that fits well draws two lines on top of each other.
/// </summary>
public static class CalibrationChart
{
    /// <summary>The chart's title (also its accessible name).</summary>
    public const string Title = "Holdout purchases by calibration purchases: predicted vs actual";

    /// <summary>Builds the plot from the winner's calibration table.</summary>
    public static ScottPlot.Plot Plot(IReadOnlyList<HoldoutRow> rows, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var plot = SvgChart.NewPlot();
        var x = rows.Select(r => (double)r.CalibrationFrequency).ToArray();
        var actual = plot.Add.Scatter(x, rows.Select(r => r.ActualMean).ToArray());
        actual.LegendText = "actual";
        actual.LineWidth = 2;
        actual.MarkerSize = 7;
        var predicted = plot.Add.Scatter(x, rows.Select(r => r.PredictedMean).ToArray());
        predicted.LegendText = model is null ? "predicted" : $"predicted ({model})";
        predicted.LineWidth = 2;
        predicted.MarkerSize = 7;
        // Told apart by marker shape, not by a dash pattern: SkiaSharp's SVG canvas cannot write dashes.
        predicted.MarkerShape = ScottPlot.MarkerShape.OpenSquare;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. rows.Select(r => (double)r.CalibrationFrequency)], [.. rows.Select(r => r.Label)]);
        plot.Title("Calibration vs holdout purchases");
        plot.XLabel("purchases in the calibration period");
        plot.YLabel("mean purchases in the holdout period");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        return plot;
    }
}
