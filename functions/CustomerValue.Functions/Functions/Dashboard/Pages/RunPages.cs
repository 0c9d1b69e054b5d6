using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Segmentation.Queries;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>The pages drawn from one run's record: Migrations and Channels; and Destinations.</summary>
public static class RunPages
{
    /// <summary>Maps the routes into the dashboard's group.</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        pages.MapGet("/migrations", async (RunQueries runs, ChartCache charts, CancellationToken ct) =>
        {
            var matrix = await runs.MigrationsAsync(null, ct);
            return DashboardFunction.Page<MigrationsPage>(new MigrationsModel(matrix,
                matrix is null ? null : charts.GetOrRender("migrations:" + matrix.RunId, () => SvgChart.Render(MigrationHeatmap.Plot(matrix), MigrationHeatmap.Title, SvgChart.Width, 420))));
        });
        pages.MapGet("/channels", async (RunQueries runs, ChartCache charts, CancellationToken ct) =>
        {
            var report = await runs.ChannelsAsync(ct);
            return DashboardFunction.Page<ChannelsPage>(new ChannelsModel(report,
                report.Shop is { } shop && report.Channels.Count > 0
                    ? charts.GetOrRender("channels:" + report.RunId, () => SvgChart.Render(ChannelIntervalChart.Plot(report.Channels, shop), ChannelIntervalChart.Title, SvgChart.Width, 420))
                    : null));
        });
        pages.MapGet("/destinations", () => DashboardFunction.Page<DestinationsPage>(new DestinationsModel()));
    }
}

/// <summary>The Migrations page (as <c>GET api/runs/latest/migrations</c>).</summary>
/// <param name="Matrix">The matrix; null before the first run.</param>
/// <param name="HeatmapSvg">Its heat map.</param>
public sealed record MigrationsModel(TierMigrations? Matrix, string? HeatmapSvg);

/// <summary>The Channels page (as <c>GET api/channels</c>).</summary>
/// <param name="Report">The channel table.</param>
/// <param name="IntervalsSvg">Profit intervals per channel.</param>
public sealed record ChannelsModel(ChannelReport Report, string? IntervalsSvg);

/// <summary>The Destinations page: activation (destinations, delivery states, replay) is not part of this build yet.</summary>
public sealed record DestinationsModel;
