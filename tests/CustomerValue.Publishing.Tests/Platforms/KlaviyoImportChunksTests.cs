using CustomerValue.Publishing.Platforms.Klaviyo;

namespace CustomerValue.Publishing.Tests.Platforms;

public class KlaviyoImportChunksTests
{
    [Fact]
    public void UsualProfiles_FillJobsOfTenThousand()
    {
        var profiles = Enumerable.Range(0, 25_000).Select(_ => new byte[350]).ToList();

        var chunks = KlaviyoDestination.ImportChunks(profiles).ToList();

        Assert.Equal([10_000, 10_000, 5_000], chunks.Select(c => c.Count));
    }

    [Fact]
    public void LargeProfiles_AreCutUnderFiveMegabytes_NoneLost()
    {
        // Many segments and long addresses: 10,000 of these would be 12 MB, which Klaviyo refuses.
        var profiles = Enumerable.Range(0, 10_000).Select(_ => new byte[1_200]).ToList();

        var chunks = KlaviyoDestination.ImportChunks(profiles).ToList();

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.True(c.Sum(p => p.Length + 1) + 1_000 <= KlaviyoDestination.MaxImportBytes));
        Assert.Equal(10_000, chunks.Sum(c => c.Count));
        Assert.All(chunks.SkipLast(1), c => Assert.True(c.Sum(p => p.Length + 1) + 1_000 + 1_201 > KlaviyoDestination.MaxImportBytes, "a job was cut before it was full"));
    }
}
