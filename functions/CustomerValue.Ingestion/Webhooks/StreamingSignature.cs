using System.Security.Cryptography;

namespace CustomerValue.Ingestion.Webhooks;

/// <summary>Judges a finished HMAC: whether it matches what the delivery's headers claim.</summary>
/// <param name="mac">The HMAC-SHA256 computed over what was signed.</param>
public delegate SignatureCheck MacJudge(ReadOnlySpan<byte> mac);

/// <summary>
/// A signature check that starts from the headers, before the body is read, so that a forged delivery is refused
/// without being buffered or parsed: either the answer is known at once (no signature header, no secret), or the body
/// is fed through a running HMAC as it arrives and judged at its end, or — when the secret can only be chosen from
/// the body (generic events with per-source secrets) — the body is read first and checked whole by
/// <see cref="IWebhookPlatform.Verify"/>. Not thread-safe; dispose it when done.
/// </summary>
public sealed class StreamingSignature : IDisposable
{
    private readonly IncrementalHash? _hash;
    private readonly MacJudge? _judge;

    private StreamingSignature(SignatureCheck? decided, IncrementalHash? hash, MacJudge? judge, long? maxBodyBytes)
    {
        Decided = decided;
        _hash = hash;
        _judge = judge;
        MaxBodyBytes = maxBodyBytes;
    }

    /// <summary>The answer when the headers alone settle it (always a refusal); null when the body must be read.</summary>
    public SignatureCheck? Decided { get; }

    /// <summary>Whether the body is checked as it streams (<see cref="Append"/>, then <see cref="Complete"/>).</summary>
    public bool IsStreaming => _hash is not null;

    /// <summary>
    /// The most bytes worth reading for this delivery, when less than the route's limit: an unsigned body longer than
    /// this is refused as unsigned (a WooCommerce ping, the only unsigned delivery, is a few bytes).
    /// </summary>
    public long? MaxBodyBytes { get; }

    /// <summary>The headers settle it: refused with <paramref name="check"/>, nothing to read.</summary>
    public static StreamingSignature Refuse(SignatureCheck check) =>
        check == SignatureCheck.Valid ? throw new ArgumentOutOfRangeException(nameof(check), "Only a refusal is decided from the headers.") : new(check, null, null, null);

    /// <summary>The body is read (at most <paramref name="maxBodyBytes"/> when given) and checked whole afterwards.</summary>
    public static StreamingSignature AfterBody(long? maxBodyBytes = null) => new(null, null, null, maxBodyBytes);

    /// <summary>HMAC-SHA256 under <paramref name="key"/> over <paramref name="prefix"/> and then the body, judged by <paramref name="judge"/>.</summary>
    public static StreamingSignature Hmac(byte[] key, ReadOnlySpan<byte> prefix, MacJudge judge)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(judge);
        var hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hash.AppendData(prefix);
        return new StreamingSignature(null, hash, judge, null);
    }

    /// <summary>Feeds the next bytes of the body into the running HMAC.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_hash is null)
        {
            throw new InvalidOperationException("This signature is not checked while streaming.");
        }

        _hash.AppendData(chunk);
    }

    /// <summary>The verdict once the whole body was appended.</summary>
    public SignatureCheck Complete()
    {
        if (_hash is null || _judge is null)
        {
            throw new InvalidOperationException("This signature is not checked while streaming.");
        }

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hash.GetHashAndReset(mac);
        return _judge(mac);
    }

    /// <inheritdoc />
    public void Dispose() => _hash?.Dispose();
}
