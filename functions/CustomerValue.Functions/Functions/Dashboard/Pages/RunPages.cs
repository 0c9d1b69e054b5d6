using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Segmentation.Queries;
using Microsoft.AspNetCore.Mvc;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>The pages drawn from one run's record: Migrations and Channels; and Destinations, from the delivery pipeline.</summary>
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
        pages.MapGet("/destinations", async (DeliveryPipeline pipeline, CancellationToken ct) =>
            DashboardFunction.Page<DestinationsPage>(new DestinationsModel(await pipeline.StatusAsync(ct))));
        // Form binding makes the endpoint require a valid anti-forgery token (UseAntiforgery), as erasure does.
        pages.MapPost("/destinations/{name}/replay", async (string name, [FromForm(Name = "destination")] string? destination, DeliveryPipeline pipeline, CancellationToken ct) =>
        {
            if (!string.Equals(destination, name, StringComparison.Ordinal))
            {
                return DashboardFunction.Page<DestinationsPage>(new DestinationsModel(await pipeline.StatusAsync(ct)) { Problem = "The form does not name this destination; nothing was re-sent." }, StatusCodes.Status400BadRequest);
            }

            ReplayResult? replay;
            try
            {
                replay = await pipeline.ReplayAsync(name, ct);
            }
            catch (DestinationBusyException busy)
            {
                return DashboardFunction.Page<DestinationsPage>(new DestinationsModel(await pipeline.StatusAsync(ct)) { Problem = busy.Message }, StatusCodes.Status409Conflict);
            }

            var destinations = await pipeline.StatusAsync(ct);
            return replay is null
                ? DashboardFunction.Page<DestinationsPage>(new DestinationsModel(destinations) { Problem = $"No destination '{name}'." }, StatusCodes.Status404NotFound)
                : DashboardFunction.Page<DestinationsPage>(new DestinationsModel(destinations) { Replayed = replay });
        });
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

/// <summary>The Destinations page (as <c>GET api/destinations</c>), with the outcome of a replay just posted.</summary>
/// <param name="Destinations">Every configured destination's state.</param>
public sealed record DestinationsModel(IReadOnlyList<DestinationStatus> Destinations)
{
    /// <summary>What a replay posted from the page did.</summary>
    public ReplayResult? Replayed { get; init; }

    /// <summary>Why a replay could not be done.</summary>
    public string? Problem { get; init; }
}
