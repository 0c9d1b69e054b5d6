using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Publishing.Identifiers;

/// <summary>SHA-256 of the UTF-8 bytes, lower-case hex: the encoding every platform here accepts.</summary>
public static class Sha256Hex
{
    /// <summary>Hashes <paramref name="normalized"/>.</summary>
    public static string Of(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
    }
}
