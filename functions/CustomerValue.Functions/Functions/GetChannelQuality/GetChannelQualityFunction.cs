using CustomerValue.Segmentation.Queries;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetChannelQuality;

/// <summary>
/// <c>GET api/channels</c>: per first-touch acquisition channel, the latest run's customers, revenue, predicted CLV and
/// profit with 90 % intervals, tier shares, return rate, P(alive) and the verdict <c>invest</c> / <c>keep</c> /
/// <c>reduce</c> / <c>not enough data</c> (an empty table before the first recompute).
/// </summary>
public static class GetChannelQualityFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetChannelQuality";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/channels", (RunQueries runs, CancellationToken ct) => HandleAsync(runs, ct)).WithName(Name);

    /// <summary>Reads the latest run's table.</summary>
    public static async Task<JsonHttpResult<ChannelReport>> HandleAsync(RunQueries runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return TypedResults.Json(await runs.ChannelsAsync(cancellationToken), DocumentJson.Options);
    }
}
