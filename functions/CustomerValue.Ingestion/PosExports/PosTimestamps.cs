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
}
