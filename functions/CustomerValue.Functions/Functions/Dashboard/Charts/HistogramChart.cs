using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>A histogram recorded on a run (predicted CLV, P(alive)) as bars.</summary>
public static class HistogramChart
{
    /// <summary>Builds the plot.</summary>
    public static ScottPlot.Plot Plot(Histogram histogram, string title, string xLabel)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var plot = SvgChart.NewPlot();
        var bars = new List<ScottPlot.Bar>();
        for (var i = 0; i < histogram.Counts.Count; i++)
        {
            bars.Add(new ScottPlot.Bar
            {
                Position = (histogram.Edges[i] + histogram.Edges[i + 1]) / 2,
                Value = histogram.Counts[i],
                Size = (histogram.Edges[i + 1] - histogram.Edges[i]) * 0.95,
                FillColor = ScottPlot.Colors.SteelBlue,
                LineWidth = 0,
            });
        }

        plot.Add.Bars(bars);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("customers");
        plot.Axes.Margins(bottom: 0);
        return plot;
    }
}
