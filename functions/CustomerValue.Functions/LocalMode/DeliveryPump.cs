using System.Text.Json;
using CustomerValue.Functions.Functions.DeliverSegmentChanges;
using CustomerValue.Functions.Host;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the delivery timer: invokes DeliverSegmentChanges through its handler route every
/// <c>LocalMode:DeliveryPollMilliseconds</c> (default 5000), and again at once while a round delivered something.
/// </summary>
public sealed class DeliveryPump(LocalTriggerClient triggers, IConfiguration configuration, ILogger<DeliveryPump> logger)
    : PollingTrigger(TimeSpan.FromMilliseconds(configuration.GetValue("LocalMode:DeliveryPollMilliseconds", 5000)), logger)
{
    /// <inheritdoc />
    protected override async Task<PollOutcome> PollOnceAsync(CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = HostPayloads.Timer("timer", now.AddMinutes(-1), now, isPastDue: false);
        var (status, body) = await triggers.InvokeAsync(DeliverSegmentChangesFunction.Name, payload, cancellationToken);
        if (status is < 200 or > 299)
        {
            throw new InvalidOperationException($"{DeliverSegmentChangesFunction.Name} answered {status}: {body}");
        }

        using var answer = JsonDocument.Parse(body);
        if (!answer.RootElement.TryGetProperty("ReturnValue", out var value) || !value.TryGetProperty("destinations", out var runs))
        {
            return PollOutcome.Idle;
        }

        var destinations = runs.EnumerateArray().ToList();
        if (destinations.Any(r => r.GetProperty("delivered").GetInt32() > 0))
        {
            return PollOutcome.Worked;
        }

        // A destination another round holds, or one backing off after a failure, still has its changes to send.
        return destinations.Any(r => r.GetProperty("outcome").GetString() is "busy" or "waiting" or "failed") ? PollOutcome.Waiting : PollOutcome.Idle;
    }

    /// <inheritdoc />
    protected override TimeSpan RetryDelay(int failures) => TimeSpan.FromSeconds(Math.Min(60, 5 * failures));
}
