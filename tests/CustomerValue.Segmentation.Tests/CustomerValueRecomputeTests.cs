using System.Text.Json.Nodes;
using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Testing;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Scoring;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging.Abstractions;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Segmentation.Tests;

public sealed class CustomerValueRecomputeTests : IAsyncLifetime
{
    private const string Run1 = "run-20240601T020000Z";
    private const string Run2 = "run-20240602T020000Z";
    private const string Run3 = "run-20240603T020000Z";
    private ResolverHarness _p = null!;
    private CustomerValueRecompute _recompute = null!;

    public async Task InitializeAsync()
    {
        _p = await ResolverHarness.CreateAsync();
        _recompute = new CustomerValueRecompute(_p.Store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);
    }

    public async Task DisposeAsync() => await _p.DisposeAsync();

    /// <summary>Ten buyers c0..c9 worth 10, 20, …, 100, one person without orders and one whose only order was cancelled.</summary>
    private async Task SeedShopAsync()
    {
        for (var i = 0; i < 10; i++)
        {
            await _p.ApplyKnownAsync(Activity(email: $"c{i}@example.com", order: Order($"o-c{i}", 10m * (i + 1), day: i)));
        }

        await _p.ApplyKnownAsync(Activity(email: "browser@example.com"));
        await _p.ApplyKnownAsync(Activity(email: "cancelled@example.com", order: Order("o-x", 500m, cancelled: true)));
    }

    private async Task<CustomerProfile> ByEmailAsync(string email) =>
        await _p.ProfileByEmailAsync(email) ?? throw new InvalidOperationException(email);

    [Fact]
    public async Task FirstRun_WritesEveryBuyerWithAValueAndATierAndTheSummary()
    {
        await SeedShopAsync();

        var run = await _recompute.RunAsync(Run1);

        Assert.Equal(12, run.Profiles);
        Assert.Equal(10, run.Ranked);
        Assert.Equal(10, run.SegmentChanges);
        Assert.Equal(NetSpendScorer.Method, run.Method);
        for (var i = 0; i < 10; i++)
        {
            var profile = await ByEmailAsync($"c{i}@example.com");
            Assert.Equal(Run1, profile.Value?.RunId);
            Assert.Equal(10m * (i + 1), profile.Value!.HistoricClv);
            Assert.Equal(Run1, profile.SegmentsRunId);
            var expected = i >= 8 ? SegmentNames.Top20 : i <= 1 ? SegmentNames.Bottom20 : SegmentNames.Middle60;
            Assert.Equal([expected], profile.Segments);
        }

        var summary = (await _p.Store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId))!.Body;
        Assert.Equal(Run1, summary.RunId);
        Assert.Equal(
            [(SegmentNames.Top20, 2, 190m), (SegmentNames.Middle60, 6, 330m), (SegmentNames.Bottom20, 2, 30m)],
            summary.Segments.Where(s => SegmentNames.ValueTiers.Contains(s.Name)).Select(s => (s.Name, s.Size, s.NetRevenue)));
        var stored = (await _p.Store.ReadAsync<RecomputeRun>(ContainerNames.Runs, Run1, Run1))!.Body;
        Assert.Equal(run.Written, stored.Written);
    }

    [Fact]
    public async Task Run_WithAProfileWhoseAmountsOverflow_SkipsAndReportsIt_AndValuesEveryoneElse()
    {
        await SeedShopAsync();
        var bad = await _p.ApplyKnownAsync(Activity(email: "legacy@example.com", order: Order("o-legacy-1", 10m)));
        // Data from before ingestion bounded amounts: totals whose net overflows decimal. Ingestion cannot write such totals
        // (summing them throws), so they are written as the raw document an older version could have left behind.
        var document = (await _p.Store.ReadAsync<JsonObject>(ContainerNames.Profiles, bad.ProfileId, bad.ProfileId))!;
        var totals = document.Body["orderTotals"]!.AsObject();
        totals["gross"] = decimal.MaxValue;
        totals["refunded"] = -1m;
        await _p.Store.ReplaceAsync(ContainerNames.Profiles, bad.ProfileId, bad.ProfileId, document.Body, document.ETag);

        var run = await _recompute.RunAsync(Run1);

        Assert.Equal(1, run.SkippedProfiles);
        var skipped = Assert.Single(run.Skipped);
        Assert.Equal(bad.ProfileId, skipped.ProfileId);
        Assert.Contains("overflow", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(12, run.Profiles);
        Assert.Equal(10, run.Ranked);
        Assert.Empty((await _p.ProfileAsync(bad.ProfileId)).Segments);
        var stored = (await _p.Store.ReadAsync<RecomputeRun>(ContainerNames.Runs, Run1, Run1))!.Body;
        Assert.Equal(bad.ProfileId, Assert.Single(stored.Skipped).ProfileId);
        Assert.Equal(550m, stored.Segments.Sum(x => x.NetRevenue));
    }

    [Fact]
    public void Readiness_RefusesRevenueBeyondTheBound_AndAcceptsOrdinaryProfiles()
    {
        var huge = new CustomerProfile { Id = "cp-huge", OrderTotals = OrderTotals.Of([Order("o-1", ProfileReadiness.MaxProfileRevenue + 1)]) };
        var ordinary = new CustomerProfile { Id = "cp-ok", OrderTotals = OrderTotals.Of([Order("o-2", 1_000_000_000m)]) };

        Assert.Contains("revenue beyond", ProfileReadiness.Problem(huge), StringComparison.Ordinal);
        Assert.Null(ProfileReadiness.Problem(ordinary));
    }

    [Fact]
    public async Task FirstRun_GivesNonBuyersNoTier()
    {
        await SeedShopAsync();
        await _p.ApplyKnownAsync(Activity(email: "returner@example.com", order: Order("r-1", 0m, refunded: 40m) with { Kind = OrderKind.Return }));

        var run = await _recompute.RunAsync(Run1);

        Assert.Equal(10, run.Ranked);
        foreach (var email in new[] { "browser@example.com", "cancelled@example.com", "returner@example.com" })
        {
            var profile = await ByEmailAsync(email);
            Assert.Empty(profile.Segments);
            Assert.Null(profile.SegmentsRunId);
        }

        var summary = (await _p.Store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId))!.Body;
        Assert.Equal(10, summary.Segments.Sum(s => s.Size));
    }

    [Fact]
    public async Task SecondRun_WithNoChanges_WritesNoProfile()
    {
        await SeedShopAsync();
        await _recompute.RunAsync(Run1);
        var feed = await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, null, 1000);

        var run = await _recompute.RunAsync(Run2);

        Assert.Equal(0, run.Written);
        Assert.Equal(0, run.SegmentChanges);
        Assert.Empty((await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, feed.Continuation, 1000)).Documents);
        Assert.Equal(Run2, (await _p.Store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId))!.Body.RunId);
    }

    [Fact]
    public async Task Run_AfterOneNewBigOrder_RewritesOnlyTheProfilesWhoseValueOrTierChanged()
    {
        // Every customer keeps a single purchase, so no model refit moves everyone's value: only the ranking changes.
        await SeedShopAsync();
        await _recompute.RunAsync(Run1);
        await _recompute.RunAsync(Run2);
        await _p.ApplyKnownAsync(Activity(email: "whale@example.com", order: Order("o-whale", 1000m, day: 20)));
        var feed = await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, null, 1000);

        var run = await _recompute.RunAsync(Run3);

        // Eleven buyers: the whale and c9 on top, c8 drops to the middle, the bottom stays c0 and c1.
        var rewritten = (await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, feed.Continuation, 1000)).Documents;
        var whale = await ByEmailAsync("whale@example.com");
        var c8 = await ByEmailAsync("c8@example.com");
        Assert.Equal(new[] { whale.Id, c8.Id }.Order(StringComparer.Ordinal), rewritten.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, run.Written);
        Assert.Equal(2, run.SegmentChanges);
        Assert.Equal([SegmentNames.Top20], whale.Segments);
        Assert.Equal(1000m, whale.Value!.HistoricClv);
        Assert.Equal(Run3, whale.SegmentsRunId);
        // Dropped from top-20 to middle-60 while still buying: also declining, with the reason on the profile.
        Assert.Equal([SegmentNames.Declining, SegmentNames.Middle60], c8.Segments);
        Assert.Contains("tier", c8.SegmentReasons![SegmentNames.Declining], StringComparison.Ordinal);
        Assert.Equal(Run3, c8.SegmentsRunId);
        Assert.Equal(Run1, (await ByEmailAsync("c9@example.com")).SegmentsRunId);
    }

    [Fact]
    public async Task SecondRun_AfterNewOrders_MarksRisingThoseWhoMovedUpATierOrGainedTwentyPercentilePoints_WithTheReason()
    {
        // Run 1 ranks c0..c9 (worth 10..100) at percentiles 5, 15, …, 95: c0 and c1 bottom-20, c8 and c9 top-20.
        await SeedShopAsync();
        await _recompute.RunAsync(Run1);
        Assert.Equal(25, (await ByEmailAsync("c2@example.com")).Value!.Percentile);

        // New orders on the day of each one's first keep every customer a one-time buyer, so values stay net spend:
        // c0 → 75 (climbs out of bottom-20), c2 → 66 (percentile 25 → 45 within middle-60), c1 → 41 (still bottom-20).
        await _p.ApplyKnownAsync(Activity(email: "c0@example.com", order: Order("o-c0-more", 65m, day: 0)));
        await _p.ApplyKnownAsync(Activity(email: "c2@example.com", order: Order("o-c2-more", 36m, day: 2)));
        await _p.ApplyKnownAsync(Activity(email: "c1@example.com", order: Order("o-c1-more", 21m, day: 1)));

        var run = await _recompute.RunAsync(Run2);

        Assert.Equal(NetSpendScorer.Method, run.Method);
        var c0 = await ByEmailAsync("c0@example.com");
        var c2 = await ByEmailAsync("c2@example.com");
        Assert.Equal([SegmentNames.Middle60, SegmentNames.Rising], c0.Segments);
        Assert.Equal("tier bottom-20 → middle-60", c0.SegmentReasons![SegmentNames.Rising]);
        Assert.Equal([SegmentNames.Middle60, SegmentNames.Rising], c2.Segments);
        Assert.Equal("percentile 25 → 45 (gain ≥ 20)", c2.SegmentReasons![SegmentNames.Rising]);
        Assert.Equal(45, c2.Value!.Percentile);
        // c1 bought more but stayed in bottom-20 at the same rank; the others only slipped down the ranking.
        Assert.Equal([SegmentNames.Bottom20], (await ByEmailAsync("c1@example.com")).Segments);
        for (var i = 3; i < 10; i++)
        {
            Assert.DoesNotContain(SegmentNames.Rising, (await ByEmailAsync($"c{i}@example.com")).Segments);
        }

        Assert.Equal(2, run.Segments.Single(s => s.Name == SegmentNames.Rising).Size);
    }

    [Fact]
    public async Task Run_WhenAValueChangesWithinItsTier_RewritesThatProfileOnly()
    {
        await SeedShopAsync();
        await _recompute.RunAsync(Run1);
        // A newer version of c5's order (an item added): same single purchase, higher value.
        await _p.ApplyKnownAsync(Activity(email: "c5@example.com", order: Order("o-c5", 65m, day: 5, version: 30)));
        var feed = await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, null, 1000);

        var run = await _recompute.RunAsync(Run2);

        var c5 = await ByEmailAsync("c5@example.com");
        Assert.Equal([c5.Id], (await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, feed.Continuation, 1000)).Documents.Select(d => d.Id));
        Assert.Equal(1, run.Written);
        Assert.Equal(0, run.SegmentChanges);
        Assert.Equal(65m, c5.Value!.HistoricClv);
        Assert.Equal(Run1, c5.SegmentsRunId);
    }

    [Fact]
    public async Task Run_SkipsRedirects()
    {
        await SeedShopAsync();
        await _p.ApplyKnownAsync(Activity(phone: "4155552671", order: Order("pos-1", 70m)));
        var merge = await _p.ApplyKnownAsync(Activity(email: "c3@example.com", phone: "4155552671"));
        var redirectId = Assert.Single(merge.MergedProfileIds);
        var before = (await _p.Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, redirectId, redirectId))!;

        var run = await _recompute.RunAsync(Run1);

        var after = (await _p.Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, redirectId, redirectId))!;
        Assert.Equal(before.ETag, after.ETag);
        Assert.True(after.Body.IsRedirect);
        Assert.Null(after.Body.Value);
        Assert.Empty(after.Body.Segments);
        Assert.Equal(12, run.Profiles);
        Assert.Equal(10, run.Ranked);
        var survivor = await ByEmailAsync("c3@example.com");
        Assert.Equal(110m, survivor.Value!.HistoricClv);
    }

    [Fact]
    public async Task Run_WhenABuyersOnlyOrderIsCancelled_RemovesTheirTier()
    {
        await SeedShopAsync();
        await _recompute.RunAsync(Run1);
        await _p.ApplyKnownAsync(Activity(email: "c9@example.com", order: Order("o-c9", 100m, day: 9, version: 60, cancelled: true)));

        var run = await _recompute.RunAsync(Run2);

        var c9 = await ByEmailAsync("c9@example.com");
        Assert.Empty(c9.Segments);
        Assert.Equal(Run2, c9.SegmentsRunId);
        Assert.Equal(9, run.Ranked);
    }

    [Fact]
    public async Task Run_SameRunIdTwice_IsIdempotent()
    {
        await SeedShopAsync();
        await _recompute.RunAsync(Run1);

        var retry = await _recompute.RunAsync(Run1);

        Assert.Equal(0, retry.Written);
    }

    [Fact]
    public async Task Run_WhenAProfileIsMergedAwayDuringTheRun_SkipsItAndDoesNotCountItAsWritten()
    {
        await SeedShopAsync();
        string? continuation = null;
        var store = new ScanHookStore(_p.Store, async () =>
        {
            // Ingestion merges c3 and c4 while the recompute is scoring what it scanned.
            await _p.ApplyKnownAsync(Activity(email: "c3@example.com", sourceId: "pos:card:1"));
            await _p.ApplyKnownAsync(Activity(email: "c4@example.com", sourceId: "pos:card:1"));
            continuation = (await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, null, 1000)).Continuation;
        });
        var recompute = new CustomerValueRecompute(store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);

        var run = await recompute.RunAsync(Run1);

        var written = (await _p.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, continuation, 1000)).Documents;
        var redirect = Assert.Single(await _p.AllProfilesAsync(), d => d.Body.IsRedirect);
        Assert.DoesNotContain(redirect.Id, written.Select(d => d.Id));
        Assert.Null(redirect.Body.Value);
        Assert.Equal(written.Count, run.Written);
    }

    [Fact]
    public void RunIdFor_SortsByScheduledTime()
    {
        var earlier = CustomerValueRecompute.RunIdFor(new DateTimeOffset(2024, 6, 1, 23, 0, 0, TimeSpan.FromHours(-5)));
        var later = CustomerValueRecompute.RunIdFor(new DateTimeOffset(2024, 6, 2, 5, 0, 0, TimeSpan.Zero));

        Assert.Equal("run-20240602T040000Z", earlier);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }

    [Fact]
    public async Task Run_WhenAnOrderArrivesBetweenTheSecondReadAndTheWrite_KeepsTheOrderAndStillWritesEveryDecision()
    {
        await SeedShopAsync();
        var scans = 0;
        var store = new ScanHookStore(_p.Store, async () =>
        {
            // After the second pass has read the profiles and before it writes them, ingestion adds an order for c5: its
            // write is refused on the ETag and the decision is applied to its current version, while the others' writes go
            // through as they are.
            if (++scans == 2)
            {
                await _p.ApplyKnownAsync(Activity(email: "c5@example.com", order: Order("o-c5-late", 40m, day: 6)));
            }
        });
        var recompute = new CustomerValueRecompute(store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);

        var run = await recompute.RunAsync(Run1);

        var c5 = await ByEmailAsync("c5@example.com");
        Assert.Equal(2, c5.Orders);
        Assert.Equal(Run1, c5.Value?.RunId);
        var live = (await _p.AllProfilesAsync()).Where(d => !d.Body.IsRedirect).ToList();
        Assert.All(live, d => Assert.Equal(Run1, d.Body.Value?.RunId));
        Assert.Equal(live.Count, run.Written);
    }
}
