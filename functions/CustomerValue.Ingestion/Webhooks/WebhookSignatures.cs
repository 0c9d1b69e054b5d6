using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Ingestion.Webhooks;

/// <summary>The signature schemes the platforms use. All comparisons are constant-time.</summary>
public static class WebhookSignatures
{
    /// <summary>How far a Standard Webhooks timestamp may be from now before the delivery counts as a replay.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Shopify (<c>X-Shopify-Hmac-Sha256</c>) and WooCommerce (<c>X-WC-Webhook-Signature</c>):
    /// base64(HMAC-SHA256(UTF-8 secret, raw body)).
    /// </summary>
    public static SignatureCheck VerifyBodyHmac(string? secret, ReadOnlySpan<byte> body, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.Missing;
        }

        if (string.IsNullOrEmpty(secret))
        {
            return SignatureCheck.NotConfigured;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return MatchesBase64(expected, signatureHeader) ? SignatureCheck.Valid : SignatureCheck.Invalid;
    }

    /// <summary>
    /// Standard Webhooks (standardwebhooks.com): <c>webhook-signature</c> holds space-separated <c>v1,&lt;base64&gt;</c>
    /// entries, each base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")). The key is the base64 part
    /// after <c>whsec_</c>, or the UTF-8 bytes of a secret without that prefix. A correct signature whose timestamp is
    /// more than <see cref="Tolerance"/> away from <paramref name="now"/> is <see cref="SignatureCheck.Expired"/>.
    /// </summary>
    public static SignatureCheck VerifyStandardWebhook(
        string? secret, string? id, string? timestamp, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.Missing;
        }

        var key = StandardWebhookKey(secret);
        if (key is null)
        {
            return SignatureCheck.NotConfigured;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.Invalid;
        }

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = ArrayPool<byte>.Shared.Rent(prefix.Length + body.Length);
        try
        {
            prefix.CopyTo(signed, 0);
            body.CopyTo(signed.AsSpan(prefix.Length));
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, signed.AsSpan(0, prefix.Length + body.Length), expected);

            var matched = false;
            foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // Other versions (e.g. v1a, asymmetric) are skipped, as the specification asks.
                if (entry.StartsWith("v1,", StringComparison.Ordinal) && MatchesBase64(expected, entry[3..]))
                {
                    matched = true;
                }
            }

            if (!matched)
            {
                return SignatureCheck.Invalid;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }

        var sentAt = seconds > 253_402_300_799 ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(seconds);
        return (now - sentAt).Duration() > Tolerance ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    /// <summary>
    /// <see cref="VerifyBodyHmac"/> as the body streams in: refused at once when the header or the secret is missing,
    /// otherwise an HMAC to feed the body into.
    /// </summary>
    public static StreamingSignature BeginBodyHmac(string? secret, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return StreamingSignature.Refuse(SignatureCheck.Missing);
        }

        if (string.IsNullOrEmpty(secret))
        {
            return StreamingSignature.Refuse(SignatureCheck.NotConfigured);
        }

        return StreamingSignature.Hmac(Encoding.UTF8.GetBytes(secret), [], mac => MatchesBase64(mac, signatureHeader) ? SignatureCheck.Valid : SignatureCheck.Invalid);
    }

    /// <summary>
    /// <see cref="VerifyStandardWebhook"/> as the body streams in: the signed prefix <c>{id}.{timestamp}.</c> goes into
    /// the HMAC first; refused at once when a header or the secret is missing or the timestamp is not a number.
    /// </summary>
    public static StreamingSignature BeginStandardWebhook(string? secret, string? id, string? timestamp, string? signatureHeader, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return StreamingSignature.Refuse(SignatureCheck.Missing);
        }

        var key = StandardWebhookKey(secret);
        if (key is null)
        {
            return StreamingSignature.Refuse(SignatureCheck.NotConfigured);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return StreamingSignature.Refuse(SignatureCheck.Invalid);
        }

        var sentAt = seconds > 253_402_300_799 ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(seconds);
        var entries = signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return StreamingSignature.Hmac(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}."), mac =>
        {
            var matched = false;
            foreach (var entry in entries)
            {
                // Other versions (e.g. v1a, asymmetric) are skipped, as the specification asks.
                matched |= entry.StartsWith("v1,", StringComparison.Ordinal) && MatchesBase64(mac, entry[3..]);
            }

            return !matched ? SignatureCheck.Invalid : (now - sentAt).Duration() > Tolerance ? SignatureCheck.Expired : SignatureCheck.Valid;
        });
    }

    /// <summary>Computes a Standard Webhooks signature header value (<c>v1,&lt;base64&gt;</c>); for senders and tests.</summary>
    public static string SignStandardWebhook(string secret, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var key = StandardWebhookKey(secret) ?? throw new ArgumentException("The secret is empty or not valid base64 after 'whsec_'.", nameof(secret));
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>Computes base64(HMAC-SHA256(secret, body)) as Shopify and WooCommerce send it; for tests and replays.</summary>
    public static string SignBody(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static byte[]? StandardWebhookKey(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        if (!secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }

        try
        {
            var key = Convert.FromBase64String(secret["whsec_".Length..]);
            return key.Length == 0 ? null : key;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool MatchesBase64(ReadOnlySpan<byte> expected, string base64)
    {
        Span<byte> given = stackalloc byte[64];
        var status = Base64.DecodeFromUtf8(Encoding.ASCII.GetBytes(base64.Trim()), given, out _, out var written);
        return status == OperationStatus.Done && CryptographicOperations.FixedTimeEquals(expected, given[..written]);
    }
}
