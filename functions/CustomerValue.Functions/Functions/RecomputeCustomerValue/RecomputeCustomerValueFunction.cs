using System.Globalization;
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
        HandleAsync(invocation, services.GetRequiredService<CustomerValueRecompute>(), services.GetRequiredService<RecomputeSchedule>(), services.GetRequiredService<TimeProvider>(), ct));

    /// <summary>
    /// Validates the timer payload and runs the recompute. The run id names the scheduled occurrence (see
    /// <see cref="RecomputeSchedule.OccurrenceBefore"/>), so the host's retries of a failed occurrence redo the same run
    /// instead of starting new ones; an invocation without a schedule status (the first ever, or a manual one) is named
    /// after the time it ran.
    /// </summary>
    public static async Task<InvocationOutcome> HandleAsync(FunctionInvocation invocation, CustomerValueRecompute recompute, RecomputeSchedule schedule, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(recompute);
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(clock);
        if (invocation.Binding(TimerBinding) is not { ValueKind: JsonValueKind.Object } timer)
        {
            return InvocationOutcome.BadRequest($"Data.{TimerBinding} must be the timer object {{\"Schedule\", \"ScheduleStatus\", \"IsPastDue\"}}.");
        }

        var pastDue = timer.TryGetProperty("IsPastDue", out var due) && due.ValueKind == JsonValueKind.True;
        var occurrence = NextOccurrence(timer) is { } next ? schedule.OccurrenceBefore(next) : null;
        var run = await recompute.RunAsync(CustomerValueRecompute.RunIdFor(occurrence ?? clock.GetUtcNow()), cancellationToken);
        return InvocationOutcome.Ok(run,
            $"Recompute {run.Id}{(pastDue ? " (past due)" : string.Empty)}: {run.Profiles} profiles, {run.Ranked} ranked, {run.Written} written, {run.SegmentChanges} segment changes.");
    }

    /// <summary><c>ScheduleStatus.Next</c>, when the host sent a schedule status with a real next occurrence.</summary>
    private static DateTimeOffset? NextOccurrence(JsonElement timer) =>
        timer.TryGetProperty("ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object
        && status.TryGetProperty("Next", out var next) && next.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(next.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
        && value.Year > 1
            ? value
            : null;
}
