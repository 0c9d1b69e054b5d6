using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Domain.Identities;

/// <summary>
/// A normalized identifier of a person. Two records that carry the same key belong to the same profile
/// (deterministic matching: no fuzzy rules).
/// </summary>
/// <param name="Kind">What the value is.</param>
/// <param name="Value">The normalized value (lower-cased e-mail, E.164 phone, or a scoped source id).</param>
public readonly record struct IdentityKey(IdentityKind Kind, string Value)
{
    /// <summary>
    /// The id of the lookup document that maps this identity to its profile: the kind and the SHA-256 of the value.
    /// Hashing keeps ids short, free of the characters Cosmos DB forbids in ids, distinct for distinct values (no
    /// escaping that could make two ids collide), and free of contact data — source ids can carry e-mail addresses —
    /// since document ids appear in logs and diagnostics.
    /// </summary>
    public string LookupId => Kind switch
    {
        IdentityKind.Email => "email-",
        IdentityKind.Phone => "phone-",
        IdentityKind.Loyalty => "loyalty-",
        _ => "source-",
    } + Sha256Hex(Value);

    /// <summary>Lower-case hex SHA-256 of a normalized value, as ad platforms expect for matching.</summary>
    public static string Sha256Hex(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    /// <inheritdoc />
    public override string ToString() => LookupId;
}
