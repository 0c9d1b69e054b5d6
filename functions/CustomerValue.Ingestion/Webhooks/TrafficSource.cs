using System.Globalization;

namespace CustomerValue.Ingestion.Webhooks;

/// <summary>
/// Turns what a checkout knows about a visit (landing URL, referrer, user agent) into the profile's
/// acquisition channel (<c>source/medium</c>, as analytics tools write it) and device class.
/// </summary>
internal static class TrafficSource
{
    /// <summary><c>{utm_source}/{utm_medium}</c> from a URL or path with a query string, lower-case; null without utm_source.</summary>
    public static string? FromUtm(string? landingUrl)
    {
        if (string.IsNullOrWhiteSpace(landingUrl))
        {
            return null;
        }

        var query = landingUrl.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? landingUrl[(q + 1)..] : null;
        if (query is null)
        {
            return null;
        }

        string? source = null, medium = null;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var name = pair[..eq];
            var value = Unescape(pair[(eq + 1)..].Split('#')[0]);
            if (name.Equals("utm_source", StringComparison.OrdinalIgnoreCase))
            {
                source = value;
            }
            else if (name.Equals("utm_medium", StringComparison.OrdinalIgnoreCase))
            {
                medium = value;
            }
        }

        return Format(source, medium);
    }

    /// <summary><c>{source}/{medium}</c>, lower-case, <c>none</c> for a missing medium; null without a source.</summary>
    public static string? Format(string? source, string? medium)
    {
        source = Clean(source);
        if (source is null)
        {
            return null;
        }

        return $"{source}/{Clean(medium) ?? "none"}";
    }

    /// <summary><c>{host}/referral</c> for an external referrer URL (host without <c>www.</c>); null otherwise.</summary>
    public static string? FromReferrer(string? referrer, string? ownHost)
    {
        if (string.IsNullOrWhiteSpace(referrer) || !Uri.TryCreate(referrer.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
        if (ownHost is not null && host.Equals(ownHost, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return $"{host.ToLowerInvariant()}/referral";
    }

    /// <summary><c>mobile</c>, <c>tablet</c> or <c>desktop</c> from a browser user agent; null when unknown.</summary>
    public static string? DeviceFromUserAgent(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        // Tablets first: iPads and Android tablets also match the mobile rules below.
        if (Has(userAgent, "iPad") || Has(userAgent, "Tablet") || (Has(userAgent, "Android") && !Has(userAgent, "Mobile")))
        {
            return "tablet";
        }

        if (Has(userAgent, "Mobi") || Has(userAgent, "iPhone") || Has(userAgent, "Android"))
        {
            return "mobile";
        }

        return Has(userAgent, "Mozilla") || Has(userAgent, "Windows") || Has(userAgent, "Macintosh") ? "desktop" : null;
    }

    /// <summary>A device class the source named directly (e.g. WooCommerce's <c>Mobile</c>), lower-case.</summary>
    public static string? Device(string? named) =>
        Clean(named) is { } device && device is "mobile" or "desktop" or "tablet" ? device : null;

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var cleaned = value.Trim().Trim('(', ')').ToLower(CultureInfo.InvariantCulture);
        return cleaned.Length == 0 || cleaned is "not set" or "undefined" ? null : cleaned;
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
