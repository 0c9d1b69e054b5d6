using CustomerValue.Segmentation.Queries;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>The tier migration matrix as a heat map: rows the tiers before, columns the tiers now, colour the customers who moved.</summary>
public static class MigrationHeatmap
{
    /// <summary>The chart's title (also its accessible name).</summary>
    public const string Title = "Customers moving between value tiers since the previous run";

    /// <summary>Builds the plot.</summary>
    public static ScottPlot.Plot Plot(TierMigrations matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var plot = SvgChart.NewPlot();
        // Row 0 of the data is drawn at the top (y = rows − 1), as the table below the chart reads.
        var values = new double[matrix.Rows.Count, matrix.Columns.Count];
        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            for (var c = 0; c < matrix.Columns.Count; c++)
            {
                values[r, c] = matrix.Cells.FirstOrDefault(x => x.From == matrix.Rows[r] && x.To == matrix.Columns[c])?.Customers ?? 0;
            }
        }

        var heatmap = plot.Add.Heatmap(values);
        // Rectangles, not a scaled bitmap: crisp cells in SVG; white for nobody, deeper blue for more customers.
        heatmap.RenderStrategy = new ScottPlot.Plottables.Heatmap.RenderStrategies.Rectangles();
        heatmap.Colormap = new ScottPlot.Colormaps.CustomInterpolated([ScottPlot.Colors.White, ScottPlot.Colors.SteelBlue]);
        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            for (var c = 0; c < matrix.Columns.Count; c++)
            {
                var label = plot.Add.Text(((int)values[r, c]).ToString(System.Globalization.CultureInfo.InvariantCulture), c, matrix.Rows.Count - 1 - r);
                label.LabelAlignment = ScottPlot.Alignment.MiddleCenter;
                label.LabelFontSize = 14;
            }
        }

        plot.Add.ColorBar(heatmap);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, matrix.Columns.Count).Select(i => (double)i)], [.. matrix.Columns]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, matrix.Rows.Count).Select(i => (double)(matrix.Rows.Count - 1 - i))], [.. matrix.Rows]);
        plot.Title("Tier migrations");
        plot.XLabel("tier now");
        plot.YLabel("tier at the previous run");
        return plot;
    }
}
