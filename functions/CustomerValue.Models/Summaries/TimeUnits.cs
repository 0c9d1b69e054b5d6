namespace CustomerValue.Models.Summaries;

/// <summary>Conversions between calendar time and model time units.</summary>
public static class TimeUnits
{
    /// <summary>Days in an average Gregorian month, 365.25 / 12.</summary>
    public const double DaysPerMonth = 365.25 / 12;

    /// <summary>Length of one time unit in days.</summary>
    public static double DaysPer(TimeUnit unit) => unit switch
    {
        TimeUnit.Days => 1.0,
        TimeUnit.Weeks => 7.0,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit."),
    };

    /// <summary>
    /// Time units in a month: 30.4375 days or 4.348 weeks. CLV horizons in months must use the unit the model was
    /// fitted in; mixing a day-based month with week-based parameters inflates CLV about 4×.
    /// </summary>
    public static double PerMonth(TimeUnit unit) => DaysPerMonth / DaysPer(unit);

    /// <summary>Time between two calendar dates (date parts only) in the given unit.</summary>
    public static double Between(DateTime from, DateTime to, TimeUnit unit) => (to.Date - from.Date).TotalDays / DaysPer(unit);

    /// <summary>The calendar date <paramref name="amount"/> time units after <paramref name="from"/> (rounded to whole days).</summary>
    public static DateTime After(DateTime from, double amount, TimeUnit unit) => from.Date.AddDays(Math.Round(amount * DaysPer(unit)));
}
