using CustomerValue.Publishing.Delivery;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.ReplayDestination;

/// <summary>
/// <c>POST api/destinations/{name}/replay</c>: queues the destination's dead letters again (dropping changes a later
/// decision superseded) and clears its back-off; the next delivery round sends them. 404 for an unknown destination;
/// 409 when a delivery round of the destination kept it for longer than the replay waits (a replay and a round never
/// overlap: both hold the destination's lease).
/// </summary>
public static class ReplayDestinationFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "ReplayDestination";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/destinations/{name}/replay", (string name, DeliveryPipeline pipeline, CancellationToken ct) => HandleAsync(name, pipeline, ct)).WithName(Name);

    /// <summary>Replays.</summary>
    public static async Task<Results<JsonHttpResult<ReplayResult>, NotFound<ApiError>, Conflict<ApiError>>> HandleAsync(string name, DeliveryPipeline pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ReplayResult? result;
        try
        {
            result = await pipeline.ReplayAsync(name, cancellationToken);
        }
        catch (DestinationBusyException busy)
        {
            return TypedResults.Conflict(new ApiError(busy.Message, [busy.Destination]));
        }

        return result is null
            ? TypedResults.NotFound(new ApiError($"No destination '{name}' is configured.", [.. pipeline.Destinations.Select(d => d.Settings.Name)]))
            : TypedResults.Json(result, DocumentJson.Options);
    }
}
