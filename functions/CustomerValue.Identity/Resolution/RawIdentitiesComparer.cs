using CustomerValue.Domain.Profiles;

namespace CustomerValue.Identity.Resolution;

/// <summary>Compares identities as typed, value by value (the record's own equality compares the lists by reference).</summary>
public sealed class RawIdentitiesComparer : IEqualityComparer<RawIdentities>
{
    public static readonly RawIdentitiesComparer Instance = new();

    public bool Equals(RawIdentities? x, RawIdentities? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null
            && x.SourceCustomerIds.SequenceEqual(y.SourceCustomerIds, StringComparer.Ordinal)
            && x.Emails.SequenceEqual(y.Emails, StringComparer.Ordinal)
            && x.Phones.SequenceEqual(y.Phones, StringComparer.Ordinal)
            && x.LoyaltyIds.SequenceEqual(y.LoyaltyIds, StringComparer.Ordinal)
            && x.FormerSourceCustomerIds.SequenceEqual(y.FormerSourceCustomerIds, StringComparer.Ordinal));

    public int GetHashCode(RawIdentities obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        // Called twice per imported row: indexed loops, no array of the lists and no enumerator per list.
        var hash = new HashCode();
        Add(ref hash, obj.SourceCustomerIds);
        Add(ref hash, obj.Emails);
        Add(ref hash, obj.Phones);
        Add(ref hash, obj.LoyaltyIds);
        Add(ref hash, obj.FormerSourceCustomerIds);
        return hash.ToHashCode();
    }

    private static void Add(ref HashCode hash, IReadOnlyList<string> values)
    {
        hash.Add(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            hash.Add(values[i], StringComparer.Ordinal);
        }
    }
}
