using CustomerValue.Functions.Host;
using CustomerValue.Publishing.Delivery;

namespace CustomerValue.Functions.Functions.DeliverSegmentChanges;

/// <summary>
/// Timer trigger, every minute: one delivery round for every destination that is due (its <c>DeliveryInterval</c>,
/// default one minute, so a change reaches every destination within a few minutes) and not backing off. A failing
/// destination is recorded in its state and retried by later rounds; the invocation itself succeeds, so one
/// destination's trouble never turns into the host retrying everyone's.
/// </summary>
public static class DeliverSegmentChangesFunction
{
    /// <summary>The function (and folder, and route) name.</summary>
    public const string Name = "DeliverSegmentChanges";

    /// <summary>Maps <c>POST /DeliverSegmentChanges</c>.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, (invocation, services, ct) =>
        HandleAsync(services.GetRequiredService<DeliveryPipeline>(), ct));

    /// <summary>Runs the round.</summary>
    public static async Task<InvocationOutcome> HandleAsync(DeliveryPipeline pipeline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var runs = await pipeline.DeliverAllAsync(force: false, cancellationToken);
        return InvocationOutcome.Ok(new { destinations = runs },
            [.. runs.Select(r => $"{r.Destination}: {r.Outcome}, {r.Delivered} delivered, {r.DeadLettered} dead-lettered{(r.Error is null ? "" : " (" + r.Error + ")")}")]);
    }
}
