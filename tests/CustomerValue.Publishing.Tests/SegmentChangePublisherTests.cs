using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Testing;
using CustomerValue.Publishing.Changes;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Publishing.Tests;

public sealed class SegmentChangePublisherTests : IAsyncLifetime, IDisposable
{
    private const string Run1 = "run-20240601T020000Z";
    private const string Run2 = "run-20240602T020000Z";
    private ResolverHarness _p = null!;
    private CustomerValueRecompute _recompute = null!;
    private OutboxFileDestination _outbox = null!;
    private SegmentChangePublisher _publisher = null!;
    private string? _continuation;

    public async Task InitializeAsync()
    {
        _p = await ResolverHarness.CreateAsync();
        _recompute = new CustomerValueRecompute(_p.Store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);
        _outbox = new OutboxFileDestination(Path.Combine(_p.Folder, "outbox"));
        _publisher = Publisher(_outbox);
    }

    public async Task DisposeAsync() => await _p.DisposeAsync();

    public void Dispose() => _outbox?.Dispose();

    private SegmentChangePublisher Publisher(params ISegmentDestination[] destinations) =>
        new(_p.Store, destinations, _p.Clock, NullLogger<SegmentChangePublisher>.Instance);

    /// <summary>Ten buyers c0..c9 worth 10..100 and one person who never bought, all valued by <see cref="Run1"/>.</summary>
    private async Task SeedAndRecomputeAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            await _p.ApplyKnownAsync(Activity(email: $"c{i}@example.com", order: Order($"o-c{i}", 10m * (i + 1), day: i)));
        }

        await _p.ApplyKnownAsync(Activity(email: "browser@example.com"));
        await _recompute.RunAsync(Run1);
    }

    /// <summary>The profiles changed since the last call, as the change-feed trigger hands them over.</summary>
    private async Task<List<CustomerProfile>> NextBatchAsync()
    {
        var page = await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, _continuation, 1000);
        _continuation = page.Continuation;
        return [.. page.Documents.Select(d => d.Body)];
    }

    private List<SegmentChange> OutboxLines() => File.Exists(_outbox.FilePath)
        ? [.. File.ReadAllLines(_outbox.FilePath).Select(DocumentJson.Deserialize<SegmentChange>)]
        : [];

    private async Task<CustomerProfile> ByEmailAsync(string email) =>
        await _p.ProfileByEmailAsync(email) ?? throw new InvalidOperationException(email);

    [Fact]
    public async Task FirstBatch_EmitsOneJoinedEventPerBuyer()
    {
        await SeedAndRecomputeAsync();

        var result = await _publisher.PublishAsync(await NextBatchAsync());

        Assert.Equal(11, result.Profiles);
        Assert.Equal(10, result.Events);
        Assert.Equal(1, result.Unchanged);
        var lines = OutboxLines();
        Assert.Equal(10, lines.Count);
        Assert.All(lines, e => Assert.Equal(SegmentChangeKind.Joined, e.Kind));
        Assert.All(lines, e => Assert.Equal(Run1, e.RunId));
        var c9 = await ByEmailAsync("c9@example.com");
        var joined = Assert.Single(lines, e => e.ProfileId == c9.Id);
        Assert.Equal(SegmentNames.Top20, joined.Segment);
        Assert.Equal(SegmentDiff.EventId(c9.Id, SegmentNames.Top20, SegmentChangeKind.Joined, Run1), joined.EventId);
        Assert.Equal([(SegmentNames.Top20, 2), (SegmentNames.Middle60, 6), (SegmentNames.Bottom20, 2)],
            SegmentNames.ValueTiers.Select(t => (t, lines.Count(e => e.Segment == t))));
    }

    [Fact]
    public async Task SameBatchDeliveredAgain_EmitsNothing()
    {
        await SeedAndRecomputeAsync();
        var batch = await NextBatchAsync();
        await _publisher.PublishAsync(batch);
        var linesBefore = File.ReadAllLines(_outbox.FilePath);

        var again = await _publisher.PublishAsync(batch);

        Assert.Equal(0, again.Events);
        Assert.Equal(11, again.Unchanged);
        Assert.Equal(linesBefore, File.ReadAllLines(_outbox.FilePath));
    }

    [Fact]
    public async Task ProfileChangeWithoutSegmentChange_EmitsNothing()
    {
        await SeedAndRecomputeAsync();
        await _publisher.PublishAsync(await NextBatchAsync());
        await _p.ApplyKnownAsync(Activity(email: "c5@example.com", firstName: "Carla"));

        var result = await _publisher.PublishAsync(await NextBatchAsync());

        Assert.Equal(1, result.Profiles);
        Assert.Equal(0, result.Events);
        Assert.Equal(10, OutboxLines().Count);
    }

    [Fact]
    public async Task TierChange_EmitsLeftThenJoined()
    {
        await SeedAndRecomputeAsync();
        await _publisher.PublishAsync(await NextBatchAsync());
        await _p.ApplyKnownAsync(Activity(email: "whale@example.com", order: Order("o-whale", 1000m, day: 20)));
        await _recompute.RunAsync(Run2);

        var result = await _publisher.PublishAsync(await NextBatchAsync());

        // The whale joins the top; c8 is pushed from the top into the middle, and having dropped a tier is declining.
        var c8 = await ByEmailAsync("c8@example.com");
        var events = OutboxLines().SkipWhile(e => e.RunId != Run2).ToList();
        Assert.Equal(events.Count, result.Events);
        Assert.Equal(
            [(SegmentChangeKind.Joined, SegmentNames.Declining), (SegmentChangeKind.Joined, SegmentNames.Middle60), (SegmentChangeKind.Left, SegmentNames.Top20)],
            events.Where(e => e.ProfileId == c8.Id).Select(e => (e.Kind, e.Segment)).OrderBy(e => e.Kind).ThenBy(e => e.Segment, StringComparer.Ordinal));
        Assert.Contains(events, e => e.Segment == SegmentNames.Top20 && e.Kind == SegmentChangeKind.Joined && e.ProfileId != c8.Id);
        Assert.All(events, e => Assert.Equal(Run2, e.RunId));
        var published = (await _p.Store.ReadAsync<PublishedMembership>(ContainerNames.Publications, c8.Id, c8.Id))!.Body;
        Assert.Equal([SegmentNames.Declining, SegmentNames.Middle60], published.Segments);
        Assert.Equal(Run2, published.RunId);
    }

    [Fact]
    public async Task Redirect_EmitsLeftForItsSegments()
    {
        await SeedAndRecomputeAsync();
        await _publisher.PublishAsync(await NextBatchAsync());
        var c3 = await ByEmailAsync("c3@example.com");
        var c4 = await ByEmailAsync("c4@example.com");

        await _p.ApplyKnownAsync(Activity(email: "c3@example.com", sourceId: "pos:card:1"));
        await _p.ApplyKnownAsync(new CustomerActivity { Identities = new RawIdentities { Emails = ["c4@example.com"], SourceCustomerIds = ["pos:card:1"] }, OccurredAt = Day0 });
        var result = await _publisher.PublishAsync(await NextBatchAsync());

        var absorbedId = Assert.Single(await _p.AllProfilesAsync(), d => d.Body.IsRedirect).Id;
        Assert.Contains(absorbedId, new[] { c3.Id, c4.Id });
        var left = Assert.Single(OutboxLines().Skip(10));
        Assert.Equal(SegmentChangeKind.Left, left.Kind);
        Assert.Equal(absorbedId, left.ProfileId);
        Assert.Equal(SegmentNames.Middle60, left.Segment);
        Assert.Equal(1, result.Events);
        Assert.Empty((await _p.Store.ReadAsync<PublishedMembership>(ContainerNames.Publications, absorbedId, absorbedId))!.Body.Segments);
    }

    [Fact]
    public async Task StaleDocument_DecidedByAnOlderRunThanPublished_EmitsNothing()
    {
        await SeedAndRecomputeAsync();
        var firstBatch = await NextBatchAsync();
        await _publisher.PublishAsync(firstBatch);
        await _p.ApplyKnownAsync(Activity(email: "whale@example.com", order: Order("o-whale", 1000m, day: 20)));
        await _recompute.RunAsync(Run2);
        await _publisher.PublishAsync(await NextBatchAsync());
        var linesBefore = File.ReadAllLines(_outbox.FilePath);
        var c8 = await ByEmailAsync("c8@example.com");
        var publishedBefore = await _p.Store.ReadAsync<PublishedMembership>(ContainerNames.Publications, c8.Id, c8.Id);

        // c8's copy from the first batch says top-20 (run 1); run 2 moved it to the middle and that was published.
        var result = await _publisher.PublishAsync([firstBatch.Single(p => p.Id == c8.Id)]);

        Assert.Equal(0, result.Events);
        Assert.Equal(1, result.Unchanged);
        Assert.Equal(linesBefore, File.ReadAllLines(_outbox.FilePath));
        Assert.Equal(publishedBefore!.ETag, (await _p.Store.ReadAsync<PublishedMembership>(ContainerNames.Publications, c8.Id, c8.Id))!.ETag);
    }

    [Fact]
    public async Task StaleCopy_OfAProfileMergedAwaySince_DoesNotRejoinItsSegment()
    {
        await SeedAndRecomputeAsync();
        var firstBatch = await NextBatchAsync();
        await _publisher.PublishAsync(firstBatch);
        await _p.ApplyKnownAsync(Activity(email: "c3@example.com", sourceId: "pos:card:1"));
        await _p.ApplyKnownAsync(Activity(email: "c4@example.com", sourceId: "pos:card:1"));
        await _publisher.PublishAsync(await NextBatchAsync());
        var absorbedId = Assert.Single(await _p.AllProfilesAsync(), d => d.Body.IsRedirect).Id;
        var linesBefore = File.ReadAllLines(_outbox.FilePath);

        // The first batch is delivered again: its copy of the absorbed profile predates the merge.
        var result = await _publisher.PublishAsync([firstBatch.Single(p => p.Id == absorbedId)]);

        Assert.Equal(0, result.Events);
        Assert.Equal(linesBefore, File.ReadAllLines(_outbox.FilePath));
        Assert.Empty((await _p.Store.ReadAsync<PublishedMembership>(ContainerNames.Publications, absorbedId, absorbedId))!.Body.Segments);
    }

    [Fact]
    public async Task Batch_WithTwoVersionsOfOneProfile_PublishesOnlyTheLast()
    {
        await SeedAndRecomputeAsync();
        var c9 = await ByEmailAsync("c9@example.com");
        var older = DocumentJson.Deserialize<CustomerProfile>(DocumentJson.Serialize(c9));
        older.Segments = [SegmentNames.Bottom20];

        var result = await _publisher.PublishAsync([older, c9]);

        var joined = Assert.Single(OutboxLines());
        Assert.Equal(SegmentNames.Top20, joined.Segment);
        Assert.Equal(1, result.Events);
    }

    [Fact]
    public async Task FailingDestination_FailsTheBatchAndRecordsNothing_SoARetryRepublishes()
    {
        await SeedAndRecomputeAsync();
        var batch = await NextBatchAsync();
        var delivered = new List<SegmentChange>();
        var flaky = new Mock<ISegmentDestination>();
        flaky.SetupGet(d => d.Name).Returns("flaky");
        flaky.SetupSequence(d => d.DeliverAsync(It.IsAny<IReadOnlyList<SegmentChange>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new HttpRequestException("destination unavailable"));
        var publisher = Publisher(flaky.Object);

        await Assert.ThrowsAsync<HttpRequestException>(() => publisher.PublishAsync(batch));

        await foreach (var unused in _p.Store.ScanAsync<PublishedMembership>(ContainerNames.Publications))
        {
            Assert.Fail("Nothing may be recorded as published when delivery failed.");
        }

        flaky.Reset();
        flaky.Setup(d => d.DeliverAsync(It.IsAny<IReadOnlyList<SegmentChange>>(), It.IsAny<CancellationToken>()))
            .Callback<IReadOnlyList<SegmentChange>, CancellationToken>((changes, _) => delivered.AddRange(changes))
            .Returns(Task.CompletedTask);
        var retry = await publisher.PublishAsync(batch);

        Assert.Equal(10, retry.Events);
        Assert.Equal(10, delivered.Count);
        Assert.All(delivered, e => Assert.Equal(SegmentChangeKind.Joined, e.Kind));
    }

    [Fact]
    public async Task FailingSecondDestination_RepeatsEventsWithTheSameIdsOnRetry()
    {
        await SeedAndRecomputeAsync();
        var batch = await NextBatchAsync();
        var failing = new Mock<ISegmentDestination>();
        failing.Setup(d => d.DeliverAsync(It.IsAny<IReadOnlyList<SegmentChange>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("disk full"));

        await Assert.ThrowsAsync<IOException>(() => Publisher(_outbox, failing.Object).PublishAsync(batch));
        var firstAttempt = OutboxLines();
        await _publisher.PublishAsync(batch);

        var all = OutboxLines();
        Assert.NotEmpty(firstAttempt);
        Assert.Equal(10, all.Select(e => e.EventId).Distinct().Count());
        Assert.All(firstAttempt, e => Assert.Contains(e.EventId, all.Skip(firstAttempt.Count).Select(x => x.EventId)));
    }
}
