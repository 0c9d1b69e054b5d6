namespace CustomerValue.Publishing.Identifiers;

/// <summary>
/// Google's normalisation for Customer Match (Data Manager API): e-mail without any whitespace, lower-cased, and for
/// <c>gmail.com</c>/<c>googlemail.com</c> without dots or a <c>+tag</c> in the local part; phone in E.164 with the
/// leading <c>+</c>. Each is then SHA-256, hex.
/// </summary>
public static class GoogleIdentifiers
{
    /// <summary>The normalised e-mail, or null when it is not an address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var compact = string.Concat(email.Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();
        var at = compact.LastIndexOf('@');
        if (at <= 0 || at == compact.Length - 1)
        {
            return null;
        }

        var local = compact[..at];
        var domain = compact[(at + 1)..];
        if (domain is "gmail.com" or "googlemail.com")
        {
            var plus = local.IndexOf('+', StringComparison.Ordinal);
            local = (plus >= 0 ? local[..plus] : local).Replace(".", string.Empty, StringComparison.Ordinal);
        }

        return local.Length == 0 ? null : local + "@" + domain;
    }

    /// <summary>The normalised phone (<c>+</c> and digits), or null without at least eight digits.</summary>
    public static string? NormalizePhone(string? phone)
    {
        var digits = MetaIdentifiers.NormalizePhone(phone);
        return digits is null ? null : "+" + digits;
    }

    /// <summary>SHA-256 hex of the normalised e-mail, or null.</summary>
    public static string? HashEmail(string? email) => NormalizeEmail(email) is { } n ? Sha256Hex.Of(n) : null;

    /// <summary>SHA-256 hex of the normalised phone, or null.</summary>
    public static string? HashPhone(string? phone) => NormalizePhone(phone) is { } n ? Sha256Hex.Of(n) : null;
}
