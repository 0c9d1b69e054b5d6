using CustomerValue.Segmentation.Queries;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.ListSegments;

/// <summary>
/// <c>GET api/segments</c>: every segment, built-in and custom, with its definition and the latest run's KPIs; before
/// the first recompute every segment is listed with size 0 and no KPIs.
/// </summary>
public static class ListSegmentsFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "ListSegments";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/segments", (SegmentQueries segments, CancellationToken ct) => HandleAsync(segments, ct)).WithName(Name);

    /// <summary>Lists the segments.</summary>
    public static async Task<JsonHttpResult<IReadOnlyList<SegmentOverview>>> HandleAsync(SegmentQueries segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return TypedResults.Json(await segments.ListAsync(cancellationToken), DocumentJson.Options);
    }
}
