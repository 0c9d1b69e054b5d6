using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Segmentation.Queries;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>The Segments page: every segment with its latest KPIs (as <c>GET api/segments</c>), and charts across runs.</summary>
public sealed record SegmentsModel
{
    /// <summary>The segments.</summary>
    public IReadOnlyList<SegmentOverview> Segments { get; init; } = [];

    /// <summary>Sizes across runs (SVG); null with no run.</summary>
    public string? SizesSvg { get; init; }

    /// <summary>Average predicted CLV across runs (SVG); null with no run.</summary>
    public string? ClvSvg { get; init; }

    /// <summary>Reads the segments and draws the charts.</summary>
    public static async Task<SegmentsModel> LoadAsync(SegmentQueries segments, RunQueries runs, ChartCache charts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(runs);
        var list = await segments.ListAsync(cancellationToken);
        var history = await runs.HistoryAsync(cancellationToken);
        // Empty segments would only crowd the legend.
        var drawn = list.Where(s => s.Size > 0).Select(s => s.Name).ToList();
        var key = (history.Count == 0 ? "" : history[^1].Id) + ":" + string.Join(',', drawn);
        return new SegmentsModel
        {
            Segments = list,
            SizesSvg = history.Count == 0 ? null : charts.GetOrRender("sizes:" + key, () => SvgChart.Render(
                SegmentTrendChart.Plot(history, drawn, k => k.Size, "Segment sizes across runs", "customers"), "Segment sizes across runs")),
            ClvSvg = history.Count == 0 ? null : charts.GetOrRender("segment-clv:" + key, () => SvgChart.Render(
                SegmentTrendChart.Plot(history, drawn, k => (double?)k.AveragePredictedClv, "Average predicted CLV across runs", "predicted 12-month CLV"),
                "Average predicted 12-month CLV of each segment across runs")),
        };
    }
}

/// <summary>One segment's page: definition, goal, KPIs and their targets, KPI history (as <c>GET api/segments/{name}</c>).</summary>
/// <param name="Segment">The segment.</param>
public sealed record SegmentModel(SegmentDetail Segment);

/// <summary>A page of a segment's members (as <c>GET api/segments/{name}/members</c>).</summary>
/// <param name="Page">The members and the token of the next page.</param>
/// <param name="Problem">Why no page could be read (a stale or foreign token).</param>
public sealed record MembersModel(SegmentMembersPage Page, string? Problem = null)
{
    /// <summary>Members per dashboard page.</summary>
    public const int PageSize = 50;
}
