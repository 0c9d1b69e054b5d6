using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetRun;

/// <summary>
/// <c>GET api/runs/{id}</c> (<c>latest</c>: the latest run): the record of one recompute: profiles and buyers, the model
/// fits and choice, segment sizes and KPIs, thresholds, migrations, channels and the value distributions. The
/// dashboard's Overview and Model health pages show these figures.
/// </summary>
public static class GetRunFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetRun";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/runs/{id}", (string id, RunQueries runs, CancellationToken ct) => HandleAsync(id, runs, ct)).WithName(Name);

    /// <summary>Reads the run.</summary>
    public static async Task<Results<JsonHttpResult<RecomputeRun>, NotFound<ApiError>>> HandleAsync(string id, RunQueries runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return await runs.FindAsync(id, cancellationToken) is { } run
            ? TypedResults.Json(run, DocumentJson.Options)
            : TypedResults.NotFound(new ApiError(id == RunQueries.Latest ? "No recompute has run yet." : $"No run '{id}'."));
    }
}
