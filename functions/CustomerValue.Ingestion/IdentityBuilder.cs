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
        if (IsUsable(phone) && phone!.AsSpan().ContainsAnyInRange('0', '9'))
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
        SourceCustomerIds = Frozen(_sourceIds),
        Emails = Frozen(_emails),
        Phones = Frozen(_phones),
        LoyaltyIds = Frozen(_loyaltyIds),
        FormerSourceCustomerIds = Frozen(_formerSourceIds),
    };

    /// <summary>Forgets the identities collected, so that one builder serves record after record (a POS export's rows).</summary>
    public IdentityBuilder Clear()
    {
        _sourceIds.Clear();
        _emails.Clear();
        _phones.Clear();
        _loyaltyIds.Clear();
        _formerSourceIds.Clear();
        return this;
    }

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

    // An array per kind, none for a kind without values: a POS import builds one set per row.
    private static string[] Frozen(List<string> values) => values.Count == 0 ? [] : values.ToArray();

    private static void AddDistinct(List<string> values, string value, StringComparer comparer)
    {
        if (!values.Contains(value, comparer))
        {
            values.Add(value);
        }
    }
}
