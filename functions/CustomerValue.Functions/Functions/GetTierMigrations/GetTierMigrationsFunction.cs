using CustomerValue.Segmentation.Queries;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetTierMigrations;

/// <summary>
/// <c>GET api/runs/{id}/migrations</c>: how many customers and how much predicted CLV moved between the value tiers from
/// the run before to run <c>id</c> (<c>latest</c>: the latest run against the previous one).
/// </summary>
public static class GetTierMigrationsFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetTierMigrations";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/runs/{id}/migrations", (string id, RunQueries runs, CancellationToken ct) => HandleAsync(id, runs, ct)).WithName(Name);

    /// <summary>Reads the run's matrix.</summary>
    public static async Task<Results<JsonHttpResult<TierMigrations>, NotFound<ApiError>>> HandleAsync(string id, RunQueries runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return await runs.MigrationsAsync(id, cancellationToken) is { } migrations
            ? TypedResults.Json(migrations, DocumentJson.Options)
            : TypedResults.NotFound(new ApiError(id == RunQueries.Latest ? "No recompute has run yet." : $"No run '{id}'."));
    }
}
