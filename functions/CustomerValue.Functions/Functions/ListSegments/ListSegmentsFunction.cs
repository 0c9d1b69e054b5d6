using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.ListSegments;

/// <summary><c>GET api/segments</c>: every segment with its size after the latest recompute (a point read).</summary>
public static class ListSegmentsFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "ListSegments";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/segments", (IDocumentStore store, CancellationToken ct) => HandleAsync(store, ct)).WithName(Name);

    /// <summary>Reads the summary; before the first recompute every segment is listed with size 0.</summary>
    public static async Task<JsonHttpResult<IReadOnlyList<SegmentSize>>> HandleAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var summary = await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken);
        IReadOnlyList<SegmentSize> segments = summary?.Body.Segments
            ?? [.. SegmentNames.ValueTiers.Select(s => new SegmentSize(s, 0, SegmentDescriptions.Of(s), 0m, 0m))];
        return TypedResults.Json(segments, DocumentJson.Options);
    }
}
