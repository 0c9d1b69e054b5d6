using System.Security.Cryptography;
using System.Text;
using CustomerValue.Domain.Identities;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The ids under which identities are stored: the kind and the HMAC-SHA256 of the normalized value under a
/// per-deployment key. An unsalted hash of an e-mail or a phone number can be reversed by hashing every candidate
/// (all phone numbers of a country take minutes), so a copy of the store would give the contacts away; without the
/// key, these ids cannot be tested against candidates.
/// <para>
/// Data stored before keyed ids holds links under <see cref="IdentityKey.LookupId"/> (plain SHA-256). They are read
/// after the keyed id (<see cref="IdentityLinkIndex.ReadAsync(IdentityKey, CancellationToken)"/>) and moved to the
/// keyed id the next time a record of that person is applied (the legacy link is then deleted); erasure deletes both.
/// There is no migration step: a data folder or database from before works as it is and converges as people come back.
/// Hashes sent to ad platforms are a different thing and stay plain SHA-256 (<see cref="IdentityKey.Sha256Hex"/>), as
/// the platforms require.
/// </para>
/// </summary>
public sealed class IdentityLookupIds
{
    /// <summary>The shortest key accepted, in bytes (HMAC-SHA256's block-size recommendation is 32 or more).</summary>
    public const int MinKeyBytes = 32;

    private readonly byte[] _key;

    /// <summary>Uses <paramref name="key"/> (at least <see cref="MinKeyBytes"/> bytes).</summary>
    public IdentityLookupIds(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The identity lookup key must be at least {MinKeyBytes} bytes.", nameof(key));
        }

        _key = [.. key];
    }

    /// <summary>
    /// A key as configured: base64 of at least <see cref="MinKeyBytes"/> bytes, or else any text of at least
    /// <see cref="MinKeyBytes"/> characters, used as its UTF-8 bytes.
    /// </summary>
    public static IdentityLookupIds FromText(string configured)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configured);
        var text = configured.Trim();
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= MinKeyBytes
            ? new IdentityLookupIds(buffer[..written])
            : new IdentityLookupIds(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A new random key as base64, for a key file or a Key Vault secret.</summary>
    public static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinKeyBytes));

    /// <summary>The stored id of an identity's link.</summary>
    public string For(IdentityKey key) =>
        key.LookupPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(key.Value)));
}
