using CustomerValue.Segmentation.Queries;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetSegment;

/// <summary><c>GET api/segments/{name}</c>: a segment's definition and its KPIs run after run.</summary>
public static class GetSegmentFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetSegment";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/segments/{name}", (string name, SegmentQueries segments, CancellationToken ct) => HandleAsync(name, segments, ct)).WithName(Name);

    /// <summary>Finds the segment.</summary>
    public static async Task<Results<JsonHttpResult<SegmentDetail>, NotFound<ApiError>>> HandleAsync(string name, SegmentQueries segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return await segments.FindAsync(name, cancellationToken) is { } segment
            ? TypedResults.Json(segment, DocumentJson.Options)
            : TypedResults.NotFound(new ApiError($"No segment '{name}'. GET api/segments lists them."));
    }
}
