using CustomerValue.Publishing.Delivery;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.ListDestinations;

/// <summary>
/// <c>GET api/destinations</c>: per configured destination its kind and segments, changes pending, delivered, failed
/// attempts, dead-lettered and replayed, the last error and the last success, and what the platform reported last.
/// </summary>
public static class ListDestinationsFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "ListDestinations";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/destinations", (DeliveryPipeline pipeline, CancellationToken ct) => HandleAsync(pipeline, ct)).WithName(Name);

    /// <summary>Reads every destination's state.</summary>
    public static async Task<JsonHttpResult<IReadOnlyList<DestinationStatus>>> HandleAsync(DeliveryPipeline pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return TypedResults.Json(await pipeline.StatusAsync(cancellationToken), DocumentJson.Options);
    }
}
