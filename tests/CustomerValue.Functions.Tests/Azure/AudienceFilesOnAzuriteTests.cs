using CustomerValue.Domain.Segments;
using CustomerValue.Functions.Configuration;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Publishing.Platforms.Files;
using CustomerValue.Storage.Tests.Emulators;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// Audience files on Blob Storage (Azurite's Blob service here): the <c>blob-file</c> destination writes one CSV per
/// segment through Azure.Storage.Blobs into its container (created when missing), and keeps it equal to the members.
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(AzuriteCollection.Name)]
public sealed class AudienceFilesOnAzuriteTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task JoinsAndLeaves_RewriteTheSegmentsCsvBlob_WithHashedIdentifiersOnly()
    {
        var container = azurite.Client.GetBlobContainerClient("audiences-" + Guid.NewGuid().ToString("N")[..12]);
        var destination = new AudienceFileDestination(
            new DestinationSettings { Name = "files", Type = DestinationKinds.BlobFile, Segments = [SegmentNames.Top20] },
            new BlobAudienceFileStore(container));

        await destination.SendAsync([Change("cp-1", SegmentChangeKind.Joined, "aa11"), Change("cp-2", SegmentChangeKind.Joined, "bb22")]);
        await destination.SendAsync([Change("cp-1", SegmentChangeKind.Left, "aa11")]);

        var blob = container.GetBlobClient(AudienceFileDestination.FileName(SegmentNames.Top20));
        var properties = await blob.GetPropertiesAsync();
        Assert.Equal("text/csv", properties.Value.ContentType);
        var lines = (await blob.DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("profile_id,email_sha256,phone_sha256,predicted_clv", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.StartsWith("cp-2,bb22,", row, StringComparison.Ordinal);
        Assert.DoesNotContain("@", string.Join('\n', lines), StringComparison.Ordinal);
    }

    private static OutboundChange Change(string profileId, SegmentChangeKind kind, string emailHash) => new()
    {
        Change = new SegmentChange { EventId = $"sc-{profileId}-{kind}", Kind = kind, Segment = SegmentNames.Top20, ProfileId = profileId, RunId = "run-1", OccurredAt = At },
        Recipient = new Recipient { EmailSha256 = [emailHash], PredictedClv = 120.5m },
    };
}
