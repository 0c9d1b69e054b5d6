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
    /// The id of the lookup document that maps this identity to its profile. E-mail and phone are hashed
    /// (SHA-256) so that document ids, which appear in logs and diagnostics, never carry raw contact data.
    /// </summary>
    public string LookupId => Kind switch
    {
        IdentityKind.Email => "email-" + Sha256Hex(Value),
        IdentityKind.Phone => "phone-" + Sha256Hex(Value),
        IdentityKind.Loyalty => "loyalty-" + Escape(Value),
        _ => "source-" + Escape(Value),
    };

    /// <summary>Lower-case hex SHA-256 of a normalized value, as ad platforms expect for matching.</summary>
    public static string Sha256Hex(string normalized) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));

    // Cosmos DB ids may not contain '/', '\', '?' or '#'.
    private static string Escape(string value) =>
        value.Replace('/', '_').Replace('\\', '_').Replace('?', '_').Replace('#', '_');

    /// <inheritdoc />
    public override string ToString() => Kind is IdentityKind.Email or IdentityKind.Phone ? LookupId : $"{Kind}:{Value}";
}
