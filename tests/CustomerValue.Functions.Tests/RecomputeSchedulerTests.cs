using System.Globalization;
using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.LocalMode;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Functions.Tests;

/// <summary>The local stand-in for the timer trigger.</summary>
public sealed class RecomputeSchedulerTests
{
    [Fact]
    public async Task Start_WithTheNextOccurrenceMonthsAway_WaitsForItInsteadOfStoppingTheServer()
    {
        // A yearly schedule on the first of the month three months from now: further away than one Task.Delay can wait
        // (about 49.7 days), which made the scheduler throw and the host stop at start.
        var month = (DateTime.UtcNow.Month + 2) % 12 + 1;
        var schedule = new RecomputeSchedule(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RecomputeSchedule"] = string.Create(CultureInfo.InvariantCulture, $"0 0 3 1 {month} *") })
            .Build());
        Assert.True(schedule.NextAfter(DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow > TimeSpan.FromDays(50));
        // The trigger is never reached: the occurrence is months away.
        using var scheduler = new RecomputeScheduler(new RecomputeTrigger(null!, NullLogger<RecomputeTrigger>.Instance), schedule, TimeProvider.System, NullLogger<RecomputeScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await Task.Delay(100);

        Assert.False(scheduler.ExecuteTask!.IsCompleted, scheduler.ExecuteTask.Exception?.ToString());
        await scheduler.StopAsync(CancellationToken.None);
    }
}
