using System.Text.Json;
using CustomerValue.Functions.Host;
using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Functions.Functions.RecomputeCustomerValue;

/// <summary>
/// Timer trigger: refits the value models, rescores every customer and reassigns segments.
/// The host sends <c>Data.timer = {"Schedule": {...}, "ScheduleStatus": {...} | null, "IsPastDue": bool}</c>.
/// </summary>
public static class RecomputeCustomerValueFunction
{
    /// <summary>The function (and folder, and route) name.</summary>
    public const string Name = "RecomputeCustomerValue";

    /// <summary>The timer binding's name in function.json.</summary>
    public const string TimerBinding = "timer";

    /// <summary>Maps <c>POST /RecomputeCustomerValue</c>.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, (invocation, services, ct) =>
        HandleAsync(invocation, services.GetRequiredService<CustomerValueRecompute>(), services.GetRequiredService<TimeProvider>(), ct));

    /// <summary>Validates the timer payload and runs the recompute.</summary>
    public static async Task<InvocationOutcome> HandleAsync(FunctionInvocation invocation, CustomerValueRecompute recompute, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(recompute);
        ArgumentNullException.ThrowIfNull(clock);
        if (invocation.Binding(TimerBinding) is not { ValueKind: JsonValueKind.Object } timer)
        {
            return InvocationOutcome.BadRequest($"Data.{TimerBinding} must be the timer object {{\"Schedule\", \"ScheduleStatus\", \"IsPastDue\"}}.");
        }

        var pastDue = timer.TryGetProperty("IsPastDue", out var due) && due.ValueKind == JsonValueKind.True;
        var run = await recompute.RunAsync(CustomerValueRecompute.RunIdFor(clock.GetUtcNow()), cancellationToken);
        return InvocationOutcome.Ok(run,
            $"Recompute {run.Id}{(pastDue ? " (past due)" : string.Empty)}: {run.Profiles} profiles, {run.Ranked} ranked, {run.Written} written, {run.SegmentChanges} segment changes.");
    }
}
