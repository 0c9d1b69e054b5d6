using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Segmentation.Queries;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>The Segments pages: the list, one segment, and its members page by page.</summary>
public static class SegmentPages
{
    /// <summary>Maps the routes into the dashboard's group.</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        pages.MapGet("/segments", async (SegmentQueries segments, RunQueries runs, ChartCache charts, CancellationToken ct) =>
            DashboardFunction.Page<SegmentsPage>(await SegmentsModel.LoadAsync(segments, runs, charts, ct)));
        pages.MapGet("/segments/{name}", async (string name, SegmentQueries segments, CancellationToken ct) =>
            await segments.FindAsync(name, ct) is { } segment
                ? DashboardFunction.Page<SegmentPage>(new SegmentModel(segment))
                : DashboardFunction.Page<SegmentPage>(new SegmentModel(Missing(name)), StatusCodes.Status404NotFound));
        pages.MapGet("/segments/{name}/members", async (string name, string? after, SegmentQueries segments, CancellationToken ct) =>
        {
            try
            {
                return await segments.MembersAsync(name, string.IsNullOrEmpty(after) ? null : after, MembersModel.PageSize, ct) is { } page
                    ? DashboardFunction.Page<MembersPage>(new MembersModel(page))
                    : DashboardFunction.Page<MembersPage>(new MembersModel(new SegmentMembersPage(name, [], null), $"No segment '{name}'."), StatusCodes.Status404NotFound);
            }
            catch (ArgumentException)
            {
                return DashboardFunction.Page<MembersPage>(new MembersModel(new SegmentMembersPage(name, [], null), "That page link has expired: start again from the first page."), StatusCodes.Status400BadRequest);
            }
        });
    }

    private static SegmentDetail Missing(string name) => new()
    {
        Name = name, Kind = "", Description = $"No segment '{name}'.", Definition = "", Timing = "",
    };
}
