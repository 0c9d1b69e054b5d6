using System.Globalization;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// Reads transaction times. A value with an offset (<c>Z</c>, <c>+02:00</c>, <c>-0400</c>) is exact; a value without
/// one is local time in the row's or the layout's time zone (UTC when neither is given).
/// </summary>
internal sealed class PosTimestamps
{
    // ISO 8601 with or without seconds, fractions, 'T' and offset. Strict on purpose: a lenient parse would
    // read 01/12/2010 as January 12 in one export and December 1 in another.
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF zzz", "yyyy-MM-dd HH:mm:ss.FFFFFFF zzz", "yyyy-MM-dd",
    ];

    private readonly string[] _formats;
    private readonly TimeZoneInfo _zone;

    public PosTimestamps(IReadOnlyList<string> formats, TimeZoneInfo zone)
    {
        _formats = formats.Count == 0 ? IsoFormats : [.. formats];
        _zone = zone;
    }

    /// <summary>The formats in use, for messages.</summary>
    public string Describe() => ReferenceEquals(_formats, IsoFormats) ? "ISO 8601" : string.Join(" or ", _formats);

    public bool TryParse(ReadOnlySpan<char> text, TimeZoneInfo? rowZone, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        if (ReferenceEquals(_formats, IsoFormats) && TryParseUtcSeconds(text, out value))
        {
            return true;
        }

        foreach (var format in _formats)
        {
            if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowInnerWhite, out var local))
            {
                continue;
            }

            if (local.Kind != DateTimeKind.Unspecified)
            {
                // The text carried an offset; read it again to keep it exactly.
                if (DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal, out value))
                {
                    value = value.ToUniversalTime();
                    return true;
                }

                continue;
            }

            var zone = rowZone ?? _zone;

            // GetUtcOffset reads an unspecified time as local to the zone; in a spring-forward gap it gives the
            // standard offset, which is what a till that skipped no hour most likely meant.
            value = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            return true;
        }

        return false;
    }

    // The shape most exports write (2023-10-01T00:06:24Z), read without the general parser: what the first ISO format
    // reads it as, at a tenth of the cost. Anything else, an impossible date included, goes the general way.
    private static bool TryParseUtcSeconds(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int number)
    {
        number = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        return true;
    }
}
