using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Domain.Segments;

/// <summary>
/// A person's fixed random draw for a segment's holdout: the same people stay held out run after run, and different
/// segments hold out different people. The one draw both the segment rules (which flag holdout members for the KPIs)
/// and the destinations (which leave them out) use, so the two always agree on who is held out.
/// </summary>
public static class HoldoutDraw
{
    // Ids and segment names are short: their UTF-8 fits on the stack, and only an unusually long pair rents a buffer.
    private const int StackBytes = 256;

    /// <summary>A uniform number in [0, 1): the first 8 bytes of SHA-256("profileId|segment"), big-endian, top 53 bits.</summary>
    /// <remarks>
    /// Drawn for every person and segment of a fan-out, so it allocates nothing: the two strings are encoded side by
    /// side into one buffer. Encoding them apart gives the bytes of the joined string, as the '|' between them keeps a
    /// lone surrogate at either edge a lone surrogate.
    /// </remarks>
    public static double Of(string profileId, string segment)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        ArgumentNullException.ThrowIfNull(segment);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(profileId.Length) + 1 + Encoding.UTF8.GetMaxByteCount(segment.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(profileId, buffer);
            buffer[length++] = (byte)'|';
            length += Encoding.UTF8.GetBytes(segment, buffer[length..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..length], hash);
            return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether the person is in the segment's holdout of the given share.</summary>
    public static bool IsHeldOut(string profileId, string segment, double share) => share > 0 && Of(profileId, segment) < share;
}
