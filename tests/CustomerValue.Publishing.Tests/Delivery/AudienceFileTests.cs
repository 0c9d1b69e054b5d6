using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Identifiers;
using CustomerValue.Publishing.Platforms.Files;

namespace CustomerValue.Publishing.Tests.Delivery;

/// <summary>Audience files (<c>blob-file</c>, locally a folder): one CSV per segment listing exactly its current members.</summary>
public sealed class AudienceFileTests : IAsyncLifetime
{
    private ActivationHarness _h = null!;

    public async Task InitializeAsync() => _h = await ActivationHarness.StartAsync(s =>
    {
        s["Destinations:files:Type"] = "blob-file";
        s["Destinations:files:Container"] = "hashed";
        s["Destinations:files:Segments:0"] = SegmentNames.Top20;
        s["Destinations:internal:Type"] = "blob-file";
        s["Destinations:internal:Container"] = "plain";
        s["Destinations:internal:Hashed"] = "false";
        s["Destinations:internal:Segments:0"] = SegmentNames.Top20;
    });

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string[] Lines(string container) =>
        File.ReadAllLines(Path.Combine(_h.AudienceFolder, container, AudienceFileDestination.FileName(SegmentNames.Top20)));

    [Fact]
    public async Task EachSegmentFile_ListsItsMembers_HashedOrPlain()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();

        await _h.DeliverAsync();

        var hashed = Lines("hashed");
        Assert.Equal("profile_id,email_sha256,phone_sha256,predicted_clv", hashed[0]);
        Assert.Equal(3, hashed.Length);
        Assert.Contains(hashed, l => l.Contains(MetaIdentifiers.HashEmail(ActivationHarness.Email(9))!, StringComparison.Ordinal));
        Assert.DoesNotContain(hashed, l => l.Contains('@', StringComparison.Ordinal));
        var plain = Lines("plain");
        Assert.Equal("profile_id,email,phone,predicted_clv", plain[0]);
        Assert.Contains(plain, l => l.Contains(ActivationHarness.Email(9), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leave_RemovesTheRow()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();
        _h.P.Clock.Advance(TimeSpan.FromHours(1));

        await _h.P.ApplyKnownAsync(CustomerValue.Testing.Records.Activity(email: ActivationHarness.Email(9)) with
        {
            Consents = [new CustomerValue.Domain.Profiles.ConsentChange(CustomerValue.Domain.Profiles.ConsentChannel.Ads, false, CustomerValue.Testing.Records.Day0.AddDays(30))],
        });
        await _h.PublishAsync();
        await _h.DeliverAsync();

        // Hashed files are for ad platforms and follow ads consent; the plain internal file needs none.
        Assert.Equal(2, Lines("hashed").Length);
        Assert.Equal(3, Lines("plain").Length);
    }
}
