using System.Globalization;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetSegmentMembers;

/// <summary>
/// <c>GET api/segments/{name}/members?limit=N&amp;continuationToken=T</c>: a page of the segment's members with their
/// value fields. A page holds at most <c>limit</c> (1 to 1,000, default 100) members and may hold fewer; follow
/// <c>continuationToken</c> until it is absent.
/// </summary>
public static class GetSegmentMembersFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetSegmentMembers";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/segments/{name}/members", (string name, string? limit, string? continuationToken, SegmentQueries segments, CancellationToken ct) =>
            HandleAsync(name, limit, continuationToken, segments, ct)).WithName(Name);

    /// <summary>Reads one page.</summary>
    public static async Task<Results<JsonHttpResult<SegmentMembersPage>, NotFound<ApiError>, BadRequest<ApiError>>> HandleAsync(
        string name, string? limit, string? continuationToken, SegmentQueries segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var size = SegmentQueries.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > SegmentQueries.MaxLimit))
        {
            return TypedResults.BadRequest(new ApiError($"limit must be a whole number from 1 to {SegmentQueries.MaxLimit}."));
        }

        try
        {
            return await segments.MembersAsync(name, string.IsNullOrEmpty(continuationToken) ? null : continuationToken, size, cancellationToken) is { } page
                ? TypedResults.Json(page, DocumentJson.Options)
                : TypedResults.NotFound(new ApiError($"No segment '{name}'. GET api/segments lists them."));
        }
        catch (ArgumentException)
        {
            return TypedResults.BadRequest(new ApiError("The continuationToken was not issued by this API: start again without one."));
        }
    }
}
