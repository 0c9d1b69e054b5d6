using System.Text.Json;
using NCrontab;

namespace CustomerValue.Functions.Functions.RecomputeCustomerValue;

/// <summary>
/// The recompute timer's schedule: the NCRONTAB expression in RecomputeCustomerValue's function.json, with
/// <c>%RecomputeSchedule%</c> expanded from configuration as the Functions host expands app settings.
/// </summary>
public sealed class RecomputeSchedule
{
    /// <summary>The schedule when the app setting is absent: every day at 03:00 UTC, when shops are quiet.</summary>
    public const string DefaultExpression = "0 0 3 * * *";

    /// <summary>Reads the schedule from the function.json beside the executable.</summary>
    public RecomputeSchedule(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var path = Path.Combine(AppContext.BaseDirectory, RecomputeCustomerValueFunction.Name, "function.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var expression = document.RootElement.GetProperty("bindings")[0].GetProperty("schedule").GetString()!;
        if (expression.StartsWith('%') && expression.EndsWith('%'))
        {
            expression = configuration[expression.Trim('%')] ?? DefaultExpression;
        }

        Crontab = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
            ?? throw new InvalidOperationException($"RecomputeSchedule '{expression}' is not a six-field NCRONTAB expression (e.g. '{DefaultExpression}').");
    }

    /// <summary>The parsed expression.</summary>
    public CrontabSchedule Crontab { get; }

    /// <summary>The first occurrence after <paramref name="time"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset time) => new(Crontab.GetNextOccurrence(time.UtcDateTime), TimeSpan.Zero);

    /// <summary>
    /// The occurrence an invocation belongs to, given the <c>ScheduleStatus.Next</c> the host sent with it: the last
    /// occurrence before that next one. The host records the status only once an invocation has finished, so every
    /// retry of a failed occurrence carries the same <c>Next</c> and therefore names the same occurrence.
    /// </summary>
    /// <returns>The occurrence, or null when none lies within the year before <paramref name="next"/>.</returns>
    public DateTimeOffset? OccurrenceBefore(DateTimeOffset next)
    {
        // NCRONTAB only searches forwards: look back through windows that double from an hour to a year, so a
        // once-a-second schedule enumerates a few thousand occurrences and a daily one a handful, never a year's worth.
        var end = next.UtcDateTime;
        for (var window = TimeSpan.FromHours(1); ; window *= 2)
        {
            var span = window < MaxLookBack ? window : MaxLookBack;
            var start = end - DateTime.MinValue > span ? end - span : DateTime.MinValue;
            DateTime? last = null;
            foreach (var occurrence in Crontab.GetNextOccurrences(start, end))
            {
                last = occurrence;
            }

            if (last is { } found)
            {
                return new DateTimeOffset(found, TimeSpan.Zero);
            }

            if (span >= MaxLookBack)
            {
                return null;
            }
        }
    }

    private static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(366);
}
