using System.Text.Json;
using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.Host;
using NCrontab;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the timer trigger: reads the schedule from RecomputeCustomerValue's function.json (the same
/// NCRONTAB expression, with <c>%RecomputeSchedule%</c> expanded from configuration as the host expands app
/// settings), and invokes the handler at each occurrence.
/// </summary>
public sealed class RecomputeScheduler(RecomputeTrigger trigger, IConfiguration configuration, TimeProvider clock, ILogger<RecomputeScheduler> logger) : BackgroundService
{
    /// <summary>The schedule when the app setting is absent: every day at 03:00 UTC, when shops are quiet.</summary>
    public const string DefaultSchedule = "0 0 3 * * *";

    /// <summary>The schedule expression in force.</summary>
    public CrontabSchedule Schedule { get; } = ReadSchedule(configuration);

    /// <summary>Reads function.json beside the executable and expands app-setting references.</summary>
    public static CrontabSchedule ReadSchedule(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = Path.Combine(AppContext.BaseDirectory, RecomputeCustomerValueFunction.Name, "function.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var expression = document.RootElement.GetProperty("bindings")[0].GetProperty("schedule").GetString()!;
        if (expression.StartsWith('%') && expression.EndsWith('%'))
        {
            expression = configuration[expression.Trim('%')] ?? DefaultSchedule;
        }

        return CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new InvalidOperationException($"RecomputeSchedule '{expression}' is not a six-field NCRONTAB expression (e.g. '{DefaultSchedule}').");
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = new DateTimeOffset(Schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            logger.LogInformation("Next recompute at {Next:u}", next);
            await Task.Delay(next - now, clock, stoppingToken);
            await trigger.FireAsync(last, Schedule.GetNextOccurrence(next.UtcDateTime.AddSeconds(1)), stoppingToken);
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
