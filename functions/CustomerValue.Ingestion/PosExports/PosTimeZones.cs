using System.Collections.Concurrent;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// Finds a time zone by IANA id, by the display names Square and other Rails-based tools write
/// (<c>Eastern Time (US &amp; Canada)</c>, <c>London</c>), or by a common abbreviation (<c>EDT</c>, <c>BST</c>).
/// </summary>
internal static class PosTimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.OrdinalIgnoreCase);

    // A subset of ActiveSupport::TimeZone::MAPPING covering the regions the POS systems we read sell in.
    private static readonly Dictionary<string, string> DisplayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = "Etc/UTC", ["Hawaii"] = "Pacific/Honolulu", ["Alaska"] = "America/Juneau",
        ["Pacific Time (US & Canada)"] = "America/Los_Angeles", ["Arizona"] = "America/Phoenix",
        ["Mountain Time (US & Canada)"] = "America/Denver", ["Central Time (US & Canada)"] = "America/Chicago",
        ["Saskatchewan"] = "America/Regina", ["Mexico City"] = "America/Mexico_City",
        ["Eastern Time (US & Canada)"] = "America/New_York", ["Indiana (East)"] = "America/Indiana/Indianapolis",
        ["Atlantic Time (Canada)"] = "America/Halifax", ["Newfoundland"] = "America/St_Johns",
        ["Puerto Rico"] = "America/Puerto_Rico", ["Bogota"] = "America/Bogota", ["Lima"] = "America/Lima",
        ["Santiago"] = "America/Santiago", ["Brasilia"] = "America/Sao_Paulo", ["Buenos Aires"] = "America/Argentina/Buenos_Aires",
        ["Dublin"] = "Europe/Dublin", ["Edinburgh"] = "Europe/London", ["London"] = "Europe/London", ["Lisbon"] = "Europe/Lisbon",
        ["Amsterdam"] = "Europe/Amsterdam", ["Berlin"] = "Europe/Berlin", ["Bern"] = "Europe/Zurich", ["Zurich"] = "Europe/Zurich",
        ["Brussels"] = "Europe/Brussels", ["Copenhagen"] = "Europe/Copenhagen", ["Madrid"] = "Europe/Madrid", ["Paris"] = "Europe/Paris",
        ["Rome"] = "Europe/Rome", ["Stockholm"] = "Europe/Stockholm", ["Vienna"] = "Europe/Vienna", ["Warsaw"] = "Europe/Warsaw",
        ["Prague"] = "Europe/Prague", ["Budapest"] = "Europe/Budapest", ["Athens"] = "Europe/Athens", ["Helsinki"] = "Europe/Helsinki",
        ["Istanbul"] = "Europe/Istanbul", ["Moscow"] = "Europe/Moscow", ["Jerusalem"] = "Asia/Jerusalem", ["Cairo"] = "Africa/Cairo",
        ["Pretoria"] = "Africa/Johannesburg", ["Abu Dhabi"] = "Asia/Dubai", ["New Delhi"] = "Asia/Kolkata", ["Mumbai"] = "Asia/Kolkata",
        ["Singapore"] = "Asia/Singapore", ["Hong Kong"] = "Asia/Hong_Kong", ["Beijing"] = "Asia/Shanghai", ["Seoul"] = "Asia/Seoul",
        ["Tokyo"] = "Asia/Tokyo", ["Osaka"] = "Asia/Tokyo", ["Perth"] = "Australia/Perth", ["Adelaide"] = "Australia/Adelaide",
        ["Darwin"] = "Australia/Darwin", ["Brisbane"] = "Australia/Brisbane", ["Canberra"] = "Australia/Sydney",
        ["Melbourne"] = "Australia/Melbourne", ["Sydney"] = "Australia/Sydney", ["Hobart"] = "Australia/Hobart",
        ["Auckland"] = "Pacific/Auckland", ["Wellington"] = "Pacific/Auckland",
    };

    // An abbreviation already says whether daylight saving applied, so it maps to a fixed offset.
    private static readonly Dictionary<string, double> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = 0, ["BST"] = 1, ["IST"] = 1, ["WET"] = 0, ["WEST"] = 1, ["CET"] = 1, ["CEST"] = 2,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5, ["MST"] = -7, ["MDT"] = -6,
        ["PST"] = -8, ["PDT"] = -7, ["AKST"] = -9, ["AKDT"] = -8, ["HST"] = -10,
        ["AEST"] = 10, ["AEDT"] = 11, ["ACST"] = 9.5, ["AWST"] = 8, ["NZST"] = 12, ["NZDT"] = 13, ["JST"] = 9,
    };

    /// <summary>The zone, or null when the name is unknown.</summary>
    public static TimeZoneInfo? Find(string name) => Cache.GetOrAdd(name.Trim(), Resolve);

    private static TimeZoneInfo? Resolve(string name)
    {
        if (Abbreviations.TryGetValue(name, out var hours))
        {
            var offset = TimeSpan.FromHours(hours);
            return TimeZoneInfo.CreateCustomTimeZone(name.ToUpperInvariant(), offset, name.ToUpperInvariant(), name.ToUpperInvariant());
        }

        var id = DisplayNames.GetValueOrDefault(name, name);
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }
}
