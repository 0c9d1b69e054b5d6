using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.Host;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the timer trigger: invokes the handler at each occurrence of the <see cref="RecomputeSchedule"/>
/// with the payload the host sends.
/// </summary>
public sealed class RecomputeScheduler(RecomputeTrigger trigger, RecomputeSchedule schedule, TimeProvider clock, ILogger<RecomputeScheduler> logger) : BackgroundService
{
    /// <summary>The longest single wait before the clock is read again.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromDays(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = schedule.NextAfter(now);
            logger.LogInformation("Next recompute at {Next:u}", next);
            // Task.Delay refuses more than about 49.7 days, which a quarterly or yearly schedule waits: a day at a time.
            for (var left = next - now; left > TimeSpan.Zero; left = next - clock.GetUtcNow())
            {
                await Task.Delay(left < MaxWait ? left : MaxWait, clock, stoppingToken);
            }

            await trigger.FireAsync(last, schedule.NextAfter(next).UtcDateTime, stoppingToken);
            last = next;
        }
    }
}

/// <summary>Invokes RecomputeCustomerValue with a timer payload, retrying like the function's retry policy.</summary>
public sealed class RecomputeTrigger(LocalTriggerClient triggers, ILogger<RecomputeTrigger> logger)
{
    private const int MaxRetries = 5;

    /// <summary>Fires the timer once; returns the handler's answer body.</summary>
    public async Task<string> FireAsync(DateTimeOffset? last, DateTime next, CancellationToken cancellationToken)
    {
        var payload = HostPayloads.Timer(RecomputeCustomerValueFunction.TimerBinding, last, new DateTimeOffset(next, TimeSpan.Zero), isPastDue: false);
        for (var attempt = 0; ; attempt++)
        {
            var (status, body) = await triggers.InvokeAsync(RecomputeCustomerValueFunction.Name, payload, cancellationToken);
            if (status is >= 200 and < 300)
            {
                return body;
            }

            if (attempt >= MaxRetries || status is >= 400 and < 500)
            {
                logger.LogError("Recompute failed with {Status}: {Body}", status, body);
                throw new InvalidOperationException($"{RecomputeCustomerValueFunction.Name} answered {status}: {body}");
            }

            var delay = TimeSpan.FromSeconds(Math.Min(900, 30 * Math.Pow(2, attempt)));
            logger.LogWarning("Recompute answered {Status}; retrying in {Delay}", status, delay);
            await Task.Delay(delay, cancellationToken);
        }
    }
}
