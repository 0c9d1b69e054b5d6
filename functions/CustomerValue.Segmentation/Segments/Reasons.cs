using System.Globalization;

namespace CustomerValue.Segmentation.Segments;

/// <summary>Number formats of membership reasons: invariant, so reasons parse the same everywhere.</summary>
internal static class Reasons
{
    public static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
