using CustomerValue.Segmentation.Channels;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>Each channel's mean predicted profit with its 90 % interval as error bars, against the shop-wide average.</summary>
public static class ChannelIntervalChart
{
    /// <summary>The chart's title (also its accessible name).</summary>
    public const string Title = "Predicted 12-month profit per customer by acquisition channel, with 90 % intervals";

    /// <summary>Builds the plot.</summary>
    public static ScottPlot.Plot Plot(IReadOnlyList<ChannelQualityRow> channels, ChannelQualityRow shop)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(shop);
        var plot = SvgChart.NewPlot();
        var x = Enumerable.Range(0, channels.Count).Select(i => (double)i).ToArray();
        var mean = channels.Select(c => (double)c.AveragePredictedProfit).ToArray();
        var points = plot.Add.ScatterPoints(x, mean);
        points.MarkerSize = 9;
        points.LegendText = "mean";
        var bars = plot.Add.ErrorBar(x, mean, [.. channels.Select(c => (double)(c.PredictedProfitInterval.High - c.AveragePredictedProfit))]);
        // The normal-approximation interval is symmetric in theory; the recorded bounds are rounded, so draw them as recorded.
        bars.YErrorNegative = [.. channels.Select(c => (double)(c.AveragePredictedProfit - c.PredictedProfitInterval.Low))];
        bars.LineWidth = 2;
        var average = plot.Add.HorizontalLine((double)shop.AveragePredictedProfit);
        average.LineWidth = 2;
        average.Color = ScottPlot.Colors.Gray;
        average.LegendText = "shop-wide average";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(x, [.. channels.Select(c => c.Channel)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.Right.MinimumSize = 70; // room for the last rotated label
        plot.Title("Channel quality");
        plot.YLabel("predicted profit per customer");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return plot;
    }
}
