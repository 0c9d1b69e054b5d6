using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using PhoneNumbers;

namespace CustomerValue.Identity.Normalization;

/// <summary>
/// Turns identifiers as typed into matching keys. Matching is deterministic: two records match only when a
/// normalized key is equal. E-mail: trimmed and lower-cased (no provider-specific rules such as dropping Gmail
/// dots, which would merge different people on other providers). Phone: parsed by libphonenumber with the
/// configured default region and written in E.164; numbers that are not valid for their region are dropped
/// rather than guessed.
/// </summary>
public sealed class IdentityNormalizer(IdentityOptions options)
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>The region phone numbers without a country code are read in.</summary>
    internal string DefaultRegion => options.DefaultRegion;

    /// <summary>Normalizes an e-mail address; null when it is not one.</summary>
    public static string? NormalizeEmail(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var email = raw.Trim().ToLowerInvariant();
        var at = email.IndexOf('@', StringComparison.Ordinal);
        var valid = at > 0 && at == email.LastIndexOf('@') && at < email.Length - 3
            && email.IndexOf('.', at) > at + 1 && !email.Any(char.IsWhiteSpace);
        return valid ? email : null;
    }

    /// <summary>Normalizes a phone number to E.164; null when it cannot be a valid number.</summary>
    public string? NormalizePhone(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        try
        {
            var number = Phones.Parse(raw.Trim(), options.DefaultRegion);
            return Phones.IsValidNumber(number) ? Phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>All keys a record carries, normalized, de-duplicated and in a stable order.</summary>
    public IReadOnlyList<IdentityKey> Normalize(RawIdentities identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var keys = new SortedSet<IdentityKey>(Comparer<IdentityKey>.Create(Compare));
        foreach (var id in identities.SourceCustomerIds.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            keys.Add(new IdentityKey(IdentityKind.SourceCustomer, id.Trim()));
        }

        foreach (var id in identities.LoyaltyIds.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            keys.Add(new IdentityKey(IdentityKind.Loyalty, id.Trim()));
        }

        foreach (var email in identities.Emails.Select(NormalizeEmail).OfType<string>())
        {
            keys.Add(new IdentityKey(IdentityKind.Email, email));
        }

        foreach (var phone in identities.Phones.Select(NormalizePhone).OfType<string>())
        {
            keys.Add(new IdentityKey(IdentityKind.Phone, phone));
        }

        return [.. keys];
    }

    private static int Compare(IdentityKey x, IdentityKey y)
    {
        var kind = x.Kind.CompareTo(y.Kind);
        return kind != 0 ? kind : string.CompareOrdinal(x.Value, y.Value);
    }
}
