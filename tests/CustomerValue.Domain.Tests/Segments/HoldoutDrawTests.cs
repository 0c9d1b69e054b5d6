using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CustomerValue.Domain.Segments;

namespace CustomerValue.Domain.Tests.Segments;

public class HoldoutDrawTests
{
    /// <summary>Draws taken from SHA-256("profileId|segment") computed outside .NET (Python's hashlib).</summary>
    [Theory]
    [InlineData("cp-0001", "top-20", 0.9123181745578723)]
    [InlineData("cp-bench00000042", "middle-60", 0.8337325104297334)]
    [InlineData("cp-Zoë-ñ", "most-valuable", 0.4446585003308522)]
    public void Of_GivesTheDocumentedDraw(string profileId, string segment, double expected)
    {
        Assert.Equal(expected, HoldoutDraw.Of(profileId, segment));
    }

    [Fact]
    public void Of_ALongIdBeyondTheStackBuffer_GivesTheDocumentedDraw()
    {
        Assert.Equal(0.7259167997692204, HoldoutDraw.Of("cp-" + new string('x', 600), "win-back"));
    }

    [Fact]
    public void Of_ForAFixedSetOfPeopleAndSegments_DrawsAsTheJoinedStringDid()
    {
        string[] segments = ["top-20", "middle-60", "bottom-20", "most-valuable", "at-risk", "ä", "\uD83D\uDE00-emoji", "lone-\uDC00"];
        for (var i = 0; i < 2_000; i++)
        {
            var profileId = i % 7 == 0 ? $"cp-{i}-\uD800" : i % 11 == 0 ? $"cp-{new string('é', i % 300)}" : $"cp-{Guid.NewGuid():N}";
            foreach (var segment in segments)
            {
                Assert.Equal(JoinedStringDraw(profileId, segment), HoldoutDraw.Of(profileId, segment));
            }
        }
    }

    [Fact]
    public void Of_AllocatesNothing()
    {
        HoldoutDraw.Of("cp-warm-up", "top-20");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0.0;
        for (var i = 0; i < 1_000; i++)
        {
            sum += HoldoutDraw.Of("cp-bench00000042", "middle-60");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void IsHeldOut_WithNoShare_HoldsNobodyOut()
    {
        Assert.False(HoldoutDraw.IsHeldOut("cp-0001", "top-20", 0));
        Assert.True(HoldoutDraw.IsHeldOut("cp-0001", "top-20", 0.95));
        Assert.False(HoldoutDraw.IsHeldOut("cp-0001", "top-20", 0.9));
    }

    /// <summary>The draw as first written: the joined string's UTF-8 bytes, hashed.</summary>
    private static double JoinedStringDraw(string profileId, string segment)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(profileId + "|" + segment));
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
