using System.Globalization;

namespace CustomerValue.Functions.Functions.Dashboard.Views;

/// <summary>How the dashboard writes numbers and times: invariant culture, the precision the API's figures carry.</summary>
public static class Format
{
    /// <summary>A money amount with two decimals and thousands separators.</summary>
    public static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>A money amount or a dash.</summary>
    public static string Money(decimal? value) => value is { } v ? Money(v) : "—";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A share as a percentage with one decimal, or a dash.</summary>
    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>A number with up to four significant decimals, or a dash.</summary>
    public static string Number(double? value, string format = "0.####") => value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "—";

    /// <summary>A UTC time to the minute.</summary>
    public static string Time(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>A date.</summary>
    public static string Date(DateTimeOffset? value) => value is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    /// <summary>A signed change, e.g. +12 or −3.</summary>
    public static string Delta(int? value) => value switch
    {
        null => "new",
        > 0 => "+" + Count(value.Value),
        < 0 => "−" + Count(-value.Value),
        _ => "0",
    };
}
