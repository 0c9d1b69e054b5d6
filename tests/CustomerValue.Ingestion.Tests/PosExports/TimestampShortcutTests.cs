using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

/// <summary>The shortcut for <c>2023-10-01T00:06:24Z</c> reads exactly what the general ISO 8601 parse reads, and nothing it refuses.</summary>
public sealed class TimestampShortcutTests
{
    // The default ISO formats, given explicitly: a layout that names its formats takes the general path.
    private static readonly string[] General =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF zzz", "yyyy-MM-dd HH:mm:ss.FFFFFFF zzz", "yyyy-MM-dd",
    ];

    [Theory]
    [InlineData("2023-10-01T00:06:24Z")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("2023-02-29T10:00:00Z")]
    [InlineData("2023-04-31T10:00:00Z")]
    [InlineData("2023-13-01T10:00:00Z")]
    [InlineData("2023-00-10T10:00:00Z")]
    [InlineData("2023-10-00T10:00:00Z")]
    [InlineData("2023-10-01T24:00:00Z")]
    [InlineData("2023-10-01T23:60:00Z")]
    [InlineData("2023-10-01T23:59:60Z")]
    [InlineData("0000-10-01T10:00:00Z")]
    [InlineData("2023-10-01T10:00:0xZ")]
    [InlineData("2023-10-01t10:00:00Z")]
    [InlineData("2023-10-01T10:00:00z")]
    [InlineData("2023-10-01 10:00:00Z")]
    [InlineData("2023-1-01T10:00:00Z ")]
    [InlineData("２０２３-10-01T10:00:00Z")]
    public void Shortcut_AgreesWithTheGeneralParse(string text)
    {
        var shortcut = new PosTimestamps([], TimeZoneInfo.Utc);
        var general = new PosTimestamps(General, TimeZoneInfo.Utc);

        var read = shortcut.TryParse(text, null, out var value);

        Assert.Equal(general.TryParse(text, null, out var expected), read);
        Assert.Equal((expected.UtcTicks, expected.Offset), (value.UtcTicks, value.Offset));
    }

    [Fact]
    public void Shortcut_AgreesWithTheGeneralParse_OverManyInstants()
    {
        var shortcut = new PosTimestamps([], TimeZoneInfo.Utc);
        var general = new PosTimestamps(General, TimeZoneInfo.Utc);
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var text = $"{random.Next(0, 10_000):0000}-{random.Next(0, 14):00}-{random.Next(0, 33):00}T{random.Next(0, 26):00}:{random.Next(0, 62):00}:{random.Next(0, 62):00}Z";

            var read = shortcut.TryParse(text, null, out var value);

            Assert.Equal(general.TryParse(text, null, out var expected), read);
            Assert.Equal((expected.UtcTicks, expected.Offset), (value.UtcTicks, value.Offset));
        }
    }
}
