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
    /// The unkeyed id of this identity's lookup document: the kind and the plain SHA-256 of the value. Links are now
    /// stored under a keyed hash of the value (the identity project's <c>IdentityLookupIds</c>), because a plain hash of
    /// an e-mail or phone number can be reversed by trying candidates; this id is still read for links stored before
    /// that, and serves as an in-memory grouping key. Hashing keeps ids short, free of the characters Cosmos DB forbids
    /// in ids, distinct for distinct values (no escaping that could make two ids collide), and free of contact data —
    /// source ids can carry e-mail addresses — since document ids appear in logs and diagnostics.
    /// </summary>
    public string LookupId => LookupPrefix + Sha256Hex(Value);

    /// <summary>The start of every lookup id of this kind of identity, e.g. <c>email-</c>.</summary>
    public string LookupPrefix => Kind switch
    {
        IdentityKind.Email => "email-",
        IdentityKind.Phone => "phone-",
        IdentityKind.Loyalty => "loyalty-",
        _ => "source-",
    };

    /// <summary>Lower-case hex SHA-256 of a normalized value, as ad platforms expect for matching.</summary>
    public static string Sha256Hex(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    /// <inheritdoc />
    public override string ToString() => LookupId;
}
