using CustomerValue.Functions.Functions.Dashboard.Charts;
using CustomerValue.Functions.Functions.Dashboard.Views;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>The Model health page's route.</summary>
public static class ModelPages
{
    /// <summary>Maps the route into the dashboard's group.</summary>
    public static void Map(RouteGroupBuilder pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        pages.MapGet("/model", async (RunQueries runs, ChartCache charts, CancellationToken ct) =>
            DashboardFunction.Page<ModelHealthPage>(await ModelHealthModel.LoadAsync(runs, charts, ct)));
    }
}
