using CustomerValue.Domain.Profiles;

namespace CustomerValue.Ingestion;

/// <summary>
/// Collects the identifiers one record carries, dropping empties, placeholders and repeats, so that every parser
/// hands identity resolution the same shape of <see cref="RawIdentities"/>.
/// </summary>
internal sealed class IdentityBuilder
{
    private readonly List<string> _sourceIds = [];
    private readonly List<string> _emails = [];
    private readonly List<string> _phones = [];
    private readonly List<string> _loyaltyIds = [];
    private readonly List<string> _formerSourceIds = [];

    /// <summary>Adds a scoped source customer id built as <c>{scope}:{id}</c> when the id is usable.</summary>
    public IdentityBuilder SourceId(string scope, string? id)
    {
        if (IsUsable(id) && id != "0")
        {
            AddDistinct(_sourceIds, $"{scope}:{id!.Trim()}", StringComparer.Ordinal);
        }

        return this;
    }

    /// <summary>Adds an already scoped source customer id (e.g. <c>pos:store-7:991</c>).</summary>
    public IdentityBuilder ScopedId(string scopedId)
    {
        AddDistinct(_sourceIds, scopedId, StringComparer.Ordinal);
        return this;
    }

    /// <summary>Adds the form a source customer id had under an older scoping (looked up, never stored).</summary>
    public IdentityBuilder FormerScopedId(string scopedId)
    {
        AddDistinct(_formerSourceIds, scopedId, StringComparer.Ordinal);
        return this;
    }

    /// <summary>Adds an e-mail address as typed (identity resolution normalizes it).</summary>
    public IdentityBuilder Email(string? email)
    {
        if (IsUsable(email) && email!.Contains('@', StringComparison.Ordinal))
        {
            AddDistinct(_emails, email.Trim(), StringComparer.OrdinalIgnoreCase);
        }

        return this;
    }

    /// <summary>Adds a phone number as typed.</summary>
    public IdentityBuilder Phone(string? phone)
    {
        if (IsUsable(phone) && phone!.Any(char.IsAsciiDigit))
        {
            AddDistinct(_phones, phone!.Trim(), StringComparer.Ordinal);
        }

        return this;
    }

    /// <summary>Adds a loyalty member id as <c>loyalty:{id}</c>.</summary>
    public IdentityBuilder Loyalty(string? loyaltyId)
    {
        if (IsUsable(loyaltyId))
        {
            AddDistinct(_loyaltyIds, $"loyalty:{loyaltyId!.Trim()}", StringComparer.Ordinal);
        }

        return this;
    }

    /// <summary>The identities collected so far.</summary>
    public RawIdentities Build() => new()
    {
        SourceCustomerIds = [.. _sourceIds],
        Emails = [.. _emails],
        Phones = [.. _phones],
        LoyaltyIds = [.. _loyaltyIds],
        FormerSourceCustomerIds = _formerSourceIds.Count == 0 ? [] : [.. _formerSourceIds],
    };

    /// <summary>False for empty values and the placeholders exports write for "nobody".</summary>
    public static bool IsUsable(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var trimmed = value.Trim();
        return !(trimmed == "-"
            || trimmed.Equals("n/a", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("na", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("none", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("null", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("unknown", StringComparison.OrdinalIgnoreCase));
    }

    private static void AddDistinct(List<string> values, string value, StringComparer comparer)
    {
        if (!values.Contains(value, comparer))
        {
            values.Add(value);
        }
    }
}
