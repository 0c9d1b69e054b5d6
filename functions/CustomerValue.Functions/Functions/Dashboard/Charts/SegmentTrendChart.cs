using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>One line per segment across runs: its size, or its average predicted CLV.</summary>
public static class SegmentTrendChart
{
    /// <summary>Builds the plot; <paramref name="measure"/> reads the figure from a run's KPIs of a segment (null: no point).</summary>
    public static ScottPlot.Plot Plot(IReadOnlyList<RecomputeRun> runs, IReadOnlyList<string> segments, Func<Segmentation.Kpis.SegmentKpis, double?> measure, string title, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(measure);
        var plot = SvgChart.NewPlot();
        var x = runs.Select(r => r.FinishedAt.UtcDateTime.ToOADate()).ToArray();
        foreach (var segment in segments)
        {
            var y = runs.Select(r => r.Kpis.FirstOrDefault(k => k.Segment == segment) is { } k ? measure(k) ?? double.NaN : double.NaN).ToArray();
            var line = plot.Add.Scatter(x, y);
            line.LegendText = segment;
            line.LineWidth = 2;
            line.MarkerSize = runs.Count == 1 ? 8 : 5;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Edge.Right);
        return plot;
    }
}
