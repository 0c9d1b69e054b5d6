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
    /// <summary>A uniform number in [0, 1): the first 8 bytes of SHA-256("profileId|segment"), big-endian, top 53 bits.</summary>
    public static double Of(string profileId, string segment)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        ArgumentNullException.ThrowIfNull(segment);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(profileId + "|" + segment), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Whether the person is in the segment's holdout of the given share.</summary>
    public static bool IsHeldOut(string profileId, string segment, double share) => share > 0 && Of(profileId, segment) < share;
}
