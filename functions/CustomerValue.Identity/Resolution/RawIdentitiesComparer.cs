using CustomerValue.Domain.Profiles;

namespace CustomerValue.Identity.Resolution;

/// <summary>Compares identities as typed, value by value (the record's own equality compares the lists by reference).</summary>
internal sealed class RawIdentitiesComparer : IEqualityComparer<RawIdentities>
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
        var hash = new HashCode();
        foreach (var list in (IReadOnlyList<string>[])[obj.SourceCustomerIds, obj.Emails, obj.Phones, obj.LoyaltyIds, obj.FormerSourceCustomerIds])
        {
            hash.Add(list.Count);
            foreach (var value in list)
            {
                hash.Add(value, StringComparer.Ordinal);
            }
        }

        return hash.ToHashCode();
    }
}
