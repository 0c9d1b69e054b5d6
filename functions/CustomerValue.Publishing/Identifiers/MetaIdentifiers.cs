namespace CustomerValue.Publishing.Identifiers;

/// <summary>
/// Meta's normalisation for Custom Audiences: e-mail trimmed and lower-cased (no provider-specific rules); phone as
/// digits only, with the country code and <b>without</b> a <c>+</c> or leading zeros. Then SHA-256, hex. Profiles
/// hold phones in E.164 already, so the country code is there.
/// </summary>
public static class MetaIdentifiers
{
    /// <summary>The normalised e-mail, or null when it is not an address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        return trimmed is { Length: > 2 } && trimmed.IndexOf('@', StringComparison.Ordinal) > 0 ? trimmed : null;
    }

    /// <summary>The digits of the phone without leading zeros, or null with fewer than eight digits.</summary>
    public static string? NormalizePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var digits = string.Concat(phone.Where(char.IsAsciiDigit)).TrimStart('0');
        return digits.Length >= 8 ? digits : null;
    }

    /// <summary>SHA-256 hex of the normalised e-mail, or null.</summary>
    public static string? HashEmail(string? email) => NormalizeEmail(email) is { } n ? Sha256Hex.Of(n) : null;

    /// <summary>SHA-256 hex of the normalised phone, or null.</summary>
    public static string? HashPhone(string? phone) => NormalizePhone(phone) is { } n ? Sha256Hex.Of(n) : null;
}
