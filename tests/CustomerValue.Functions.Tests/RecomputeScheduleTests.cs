using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using Microsoft.Extensions.Configuration;

namespace CustomerValue.Functions.Tests;

/// <summary>Which scheduled occurrence a timer invocation belongs to: the one before the host's ScheduleStatus.Next.</summary>
public sealed class RecomputeScheduleTests
{
    private static readonly DateTimeOffset Next = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 0 3 * * *", "2026-11-23T03:00:00Z")] // daily: the day before
    [InlineData("* * * * * *", "2026-11-24T02:59:59Z")] // every second: a second before, found without a year's walk
    [InlineData("0 0 3 1 1 *", "2026-01-01T03:00:00Z")] // yearly: the longest look-back that still finds one
    public void OccurrenceBefore_IsTheLastOccurrenceBeforeNext(string expression, string expected)
    {
        var schedule = Schedule(expression);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.OccurrenceBefore(Next));
    }

    [Fact]
    public void OccurrenceBefore_WithNoOccurrenceInTheYearBefore_IsNull()
    {
        // 29 February: none in the 366 days before 24 November 2026.
        Assert.Null(Schedule("0 0 3 29 2 *").OccurrenceBefore(Next));
    }

    [Fact]
    public void ASettingThatIsNotSixFieldNcrontab_IsRefusedNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Schedule("0 3 * * *"));

        Assert.Contains("'0 3 * * *'", error.Message, StringComparison.Ordinal);
    }

    private static RecomputeSchedule Schedule(string expression) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RecomputeSchedule"] = expression }).Build());
}
