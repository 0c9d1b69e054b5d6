using CustomerValue.Functions.Functions.Dashboard.Pages;
using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Recompute;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.Dashboard;

/// <summary>
/// The dashboard: server-rendered pages with inline SVG charts, no script and nothing fetched from elsewhere. One HTTP
/// function (<c>dashboard/{*path}</c>, anonymous to the host; see <see cref="DashboardAccess"/>) forwards every page to
/// the handler. Each page reads through the query classes the JSON APIs use, so its figures equal theirs.
/// </summary>
public static class DashboardFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "Dashboard";

    /// <summary>Maps the pages under <see cref="DashboardPaths.Base"/>, and <c>/</c> to them for a person running locally.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", () => TypedResults.Redirect(DashboardPaths.Overview)).ExcludeFromDescription();
        var pages = app.MapGroup(DashboardPaths.Base).AddEndpointFilter(DashboardAccess.CheckAsync).WithTags(Name);
        pages.MapGet("/dashboard.css", () => TypedResults.Text(Stylesheet.Value, "text/css"));
        pages.MapGet("/", async (RunQueries runs, CancellationToken ct) =>
            Page<OverviewPage>(await OverviewModel.LoadAsync(runs, ct)));
        CustomerPages.Map(pages);
        ModelPages.Map(pages);
        SegmentPages.Map(pages);
        RunPages.Map(pages);
    }

    /// <summary>A page component rendered with its model.</summary>
    public static RazorComponentResult<TPage> Page<TPage>(object model, int statusCode = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new(new Dictionary<string, object?> { ["Model"] = model }) { StatusCode = statusCode };

    private static readonly Lazy<string> Stylesheet = new(() =>
    {
        using var stream = typeof(DashboardFunction).Assembly.GetManifestResourceStream("CustomerValue.Functions.Dashboard.dashboard.css")
            ?? throw new InvalidOperationException("The dashboard stylesheet is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
