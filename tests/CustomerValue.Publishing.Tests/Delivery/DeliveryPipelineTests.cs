using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.PlatformFakes;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Identifiers;
using CustomerValue.Storage.Documents;
using Moq;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Publishing.Tests.Delivery;

/// <summary>
/// The delivery pipeline end to end: the change feed's profiles are queued per destination and delivered to the
/// Google, Meta, Klaviyo and webhook fakes, which refuse any request that breaks the platform's documented format.
/// </summary>
public sealed class DeliveryPipelineTests : IAsyncLifetime
{
    private const string Run2 = "run-20240602T020000Z";
    private ActivationHarness _h = null!;

    public async Task InitializeAsync() => _h = await ActivationHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task FirstSync_CreatesAudiences_AndFillsEveryPlatformWithHashedMembers()
    {
        await _h.SeedAsync();

        var published = await _h.PublishAsync();
        var runs = await _h.DeliverAsync();

        Assert.All(runs.Values, r => Assert.Equal("delivered", r.Outcome));
        var (google, meta, klaviyo, webhook) = await _h.MembersAsync(SegmentNames.Top20);
        var c9 = ActivationHarness.Email(9);
        Assert.Contains(GoogleIdentifiers.HashEmail(c9)!, google);
        Assert.Contains(MetaIdentifiers.HashEmail(c9)!, meta);
        Assert.Contains(c9, klaviyo);
        Assert.Contains((await _h.ByEmailAsync(c9)).Id, webhook);
        Assert.Equal(2, google.Count);
        Assert.Equal(2, meta.Count);
        Assert.Equal(6, (await _h.MembersAsync(SegmentNames.Middle60)).Google.Count);
        Assert.Equal(4 * published.Queued / 4, runs.Values.Sum(r => r.Delivered));
        Assert.DoesNotContain(c9, google.Concat(meta)); // never the raw address on an ad platform
        var c9Id = (await _h.ByEmailAsync(c9)).Id;
        var joined = Assert.Single(_h.Fakes.Webhooks.Events, e => e.GetProperty("profileId").GetString() == c9Id && e.GetProperty("segment").GetString() == SegmentNames.Top20);
        Assert.Contains("top-20", joined.GetProperty("reason").GetString(), StringComparison.Ordinal); // why the person joined travels with the event
        _h.AssertNoFormatErrors();
    }

    [Fact]
    public async Task FakesRequestLog_ReadOverHttp_IsTheLogTheFakesKeep()
    {
        // bench fanout runs the fakes as their own process and reads their log, and their settings, this way.
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();

        using var http = new HttpClient { BaseAddress = _h.Fakes.BaseAddress };
        var logged = await http.GetFromJsonAsync<Dictionary<string, List<LoggedRequest>>>("fakes/requests");

        Assert.NotNull(logged);
        Assert.NotEmpty(logged["google"]);
        Assert.Equal(_h.Fakes.Google.Requests.All, logged["google"]);
        Assert.Equal(_h.Fakes.Meta.Requests.All, logged["meta"]);
        Assert.Equal(_h.Fakes.Klaviyo.Requests.All, logged["klaviyo"]);
        Assert.Equal(_h.Fakes.Webhooks.Requests.All, logged["webhook"]);
        Assert.Equal(_h.Fakes.Settings(ActivationHarness.Segments), PlatformFakeServer.SettingsFor(_h.Fakes.BaseAddress, ActivationHarness.Segments));
    }

    [Fact]
    public async Task RequestsPerSecond_SpacesTheRequestsOfOneDestination()
    {
        await _h.DisposeAsync();
        _h = await ActivationHarness.StartAsync(s => s["Destinations:webhook:RequestsPerSecond"] = "4");
        await _h.SeedAsync();
        await _h.PublishAsync();

        var watch = Stopwatch.StartNew();
        var runs = await _h.DeliverAsync();

        // Ten events, one request each, four a second: the last waits for the bucket to refill at least once.
        Assert.Equal(10, runs["webhook"].Delivered);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.4), $"ten requests took only {watch.Elapsed}");
    }

    [Fact]
    public async Task ValueBasedSeed_IsFilledWithPredictedClv_AndItsLookalikeCreated()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();

        await _h.DeliverAsync();

        var seed = _h.Fakes.Meta.BySegment(SegmentNames.Top20)!;
        Assert.True(seed.ValueBased);
        var c9 = await _h.ByEmailAsync(ActivationHarness.Email(9));
        Assert.Equal(Math.Round(Math.Max(0m, c9.Value!.PredictedClv), 2), seed.Members[MetaIdentifiers.HashEmail(c9.Emails[0])!]);
        Assert.All(seed.Members.Values, v => Assert.True(v >= 0));
        var lookalike = Assert.Single(_h.Fakes.Meta.Audiences.Values, a => a.Subtype == "LOOKALIKE");
        Assert.Equal(seed.Id, lookalike.OriginAudienceId);
        Assert.False(_h.Fakes.Meta.BySegment(SegmentNames.Middle60)!.ValueBased);
    }

    [Fact]
    public async Task Leaves_RemoveFromEveryPlatform()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();
        _h.P.Clock.Advance(TimeSpan.FromDays(1));
        await _h.P.ApplyKnownAsync(Activity(email: "whale@example.com", order: Order("o-whale", 1000m, day: 20)) with
        {
            Consents = [new ConsentChange(ConsentChannel.Ads, true, Day0), new ConsentChange(ConsentChannel.Email, true, Day0)],
        });
        await _h.Recompute.RunAsync(Run2);

        await _h.PublishAsync();
        await _h.DeliverAsync();

        // The whale pushed c8 out of the top tier.
        var (google, meta, klaviyo, webhook) = await _h.MembersAsync(SegmentNames.Top20);
        var c8 = ActivationHarness.Email(8);
        Assert.DoesNotContain(GoogleIdentifiers.HashEmail(c8)!, google);
        Assert.DoesNotContain(MetaIdentifiers.HashEmail(c8)!, meta);
        Assert.DoesNotContain(c8, klaviyo);
        Assert.DoesNotContain((await _h.ByEmailAsync(c8)).Id, webhook);
        Assert.Contains("whale@example.com", klaviyo);
        Assert.Contains(c8, (await _h.MembersAsync(SegmentNames.Middle60)).Klaviyo);
        _h.AssertNoFormatErrors();
    }

    [Fact]
    public async Task NewDestination_ReceivesTheCurrentMembersFirst()
    {
        await _h.SeedAsync();

        // Nothing was published through the change feed yet: the first round backfills every destination.
        var runs = await _h.DeliverAsync();

        Assert.All(runs.Values, r => Assert.Equal("delivered", r.Outcome));
        Assert.Equal(2, (await _h.MembersAsync(SegmentNames.Top20)).Google.Count);
        Assert.Equal(6, (await _h.MembersAsync(SegmentNames.Middle60)).Klaviyo.Count);
    }

    [Fact]
    public async Task FailingDestination_DoesNotBlockTheOthers()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        _h.Fakes.Google.Faults.FailAll = new Fault(500);

        var runs = await _h.DeliverAsync();

        Assert.Equal("failed", runs["google"].Outcome);
        Assert.Equal("delivered", runs["meta"].Outcome);
        Assert.Equal("delivered", runs["klaviyo"].Outcome);
        Assert.Equal("delivered", runs["webhook"].Outcome);
        var status = (await _h.Pipeline.StatusAsync()).ToDictionary(s => s.Name);
        Assert.True(status["google"].Pending > 0);
        Assert.Contains("500", status["google"].LastError, StringComparison.Ordinal);
        Assert.Equal(0, status["meta"].Pending);
        Assert.NotNull(status["meta"].LastSuccessAt);
        // The HTTP client retried the 500 before the round gave up: one call plus three retries for the token.
        Assert.Equal(4, _h.Fakes.Google.Requests.All.Count);
    }

    [Fact]
    public async Task StoreFailure_InOneDestinationsRound_FailsThatDestinationAlone()
    {
        // The timer's invocation must report every destination: one round's store error is that destination's failure.
        await using var h = await ActivationHarness.StartAsync(deliveryStore: inner => new DestinationStateFails(inner, "klaviyo"));
        await h.SeedAsync();
        await h.PublishAsync();

        var runs = await h.DeliverAsync();

        Assert.Equal("failed", runs["klaviyo"].Outcome);
        Assert.Contains("store unavailable", runs["klaviyo"].Error, StringComparison.Ordinal);
        Assert.Equal("delivered", runs["google"].Outcome);
        Assert.Equal("delivered", runs["meta"].Outcome);
        Assert.Equal("delivered", runs["webhook"].Outcome);
        Assert.Empty(h.Fakes.Klaviyo.Requests.All);
    }

    /// <summary>A store whose reads of one destination's delivery state fail.</summary>
    private sealed class DestinationStateFails(IDocumentStore inner, string destination) : DelegatingDocumentStore(inner)
    {
        public override Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
            container == ContainerNames.Destinations && partitionKey == destination && typeof(T) == typeof(DestinationState)
                ? throw new IOException("store unavailable")
                : base.ReadAsync<T>(container, id, partitionKey, cancellationToken);
    }

    [Fact]
    public async Task RefusedBatch_IsRetried_ThenDeadLettered_ThenReplayed()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        _h.Fakes.Klaviyo.Faults.FailAll = new Fault(400);

        var first = await _h.DeliverAsync();
        var second = await _h.DeliverAsync();
        var third = await _h.DeliverAsync();

        Assert.Equal("failed", first["klaviyo"].Outcome);
        Assert.Equal("failed", second["klaviyo"].Outcome);
        Assert.Equal("dead-lettered", third["klaviyo"].Outcome);
        var status = (await _h.Pipeline.StatusAsync()).Single(s => s.Name == "klaviyo");
        Assert.Equal(0, status.Pending);
        Assert.Equal(third["klaviyo"].DeadLettered, status.DeadLettered);
        Assert.Contains("Invalid input", status.LastError, StringComparison.Ordinal);
        Assert.Empty(_h.Fakes.Klaviyo.Profiles);

        _h.Fakes.Klaviyo.Faults.Clear();
        var replay = await _h.Pipeline.ReplayAsync("klaviyo");
        var after = await _h.DeliverAsync();

        Assert.Equal(status.DeadLettered, replay!.Queued);
        Assert.Equal("delivered", after["klaviyo"].Outcome);
        Assert.Equal(2, (await _h.MembersAsync(SegmentNames.Top20)).Klaviyo.Count);
        Assert.Equal(0, (await _h.Pipeline.StatusAsync()).Single(s => s.Name == "klaviyo").DeadLettered);
        Assert.Null(await _h.Pipeline.ReplayAsync("no-such-destination"));
    }

    [Fact]
    public async Task Replay_DropsChangesALaterDecisionSuperseded()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        _h.Fakes.Klaviyo.Faults.FailAll = new Fault(400);
        for (var i = 0; i < 3; i++)
        {
            await _h.DeliverAsync();
        }

        // c9 withdraws e-mail consent while the joins are dead-lettered: the replay must not add c9 back.
        _h.P.Clock.Advance(TimeSpan.FromHours(1));
        await _h.P.ApplyKnownAsync(Activity(email: ActivationHarness.Email(9)) with { Consents = [new ConsentChange(ConsentChannel.Email, false, Day0.AddDays(30))] });
        await _h.PublishAsync();
        _h.Fakes.Klaviyo.Faults.Clear();

        var replay = await _h.Pipeline.ReplayAsync("klaviyo");
        await _h.DeliverAsync();

        Assert.Equal(1, replay!.Superseded);
        Assert.DoesNotContain(ActivationHarness.Email(9), (await _h.MembersAsync(SegmentNames.Top20)).Klaviyo);
        Assert.Contains(ActivationHarness.Email(8), (await _h.MembersAsync(SegmentNames.Top20)).Klaviyo);
    }

    [Fact]
    public async Task OverlappingRounds_OfOneDestination_SendEachChangeOnce()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        var webhook = _h.Pipeline.Destinations.Single(d => d.Settings.Name == "webhook");
        var gate = _h.Fakes.Webhooks.Faults.Gate = new RequestGate();

        // The local pump's round is caught with a request in flight while a second round (the timer, another
        // instance) starts on the same destination.
        var first = _h.Pipeline.DeliverAsync(webhook, force: true);
        await gate.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var second = _h.Pipeline.DeliverAsync(webhook, force: true);
        await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(1)));
        gate.Open();
        var runs = await Task.WhenAll(first, second);

        Assert.Equal(("delivered", 10), (runs[0].Outcome, runs[0].Delivered));
        Assert.Equal(("busy", 0), (runs[1].Outcome, runs[1].Delivered));
        Assert.Equal(10, _h.Fakes.Webhooks.Events.Count);
        Assert.All(_h.Fakes.Webhooks.MessageIds.Values, n => Assert.Equal(1, n));
        Assert.Equal("idle", (await _h.DeliverAsync())["webhook"].Outcome); // and the lease was given back
    }

    [Fact]
    public async Task Replay_DuringADeliveryRound_WaitsForIt_AndNothingArrivesTwice()
    {
        await _h.DisposeAsync();
        _h = await ActivationHarness.StartAsync(s =>
        {
            s["Destinations:webhook:MaxAttempts"] = "1";
            s["Destinations:webhook:HttpRetries"] = "0";
        });
        await _h.SeedAsync();
        await _h.PublishAsync();
        _h.Fakes.Webhooks.Faults.FailAll = new Fault(400);
        Assert.Equal(10, (await _h.DeliverAsync())["webhook"].DeadLettered);
        _h.Fakes.Webhooks.Faults.Clear();
        // A later run queues new changes, so the next round has something in flight when the replay comes.
        _h.P.Clock.Advance(TimeSpan.FromDays(1));
        await _h.P.ApplyKnownAsync(Activity(email: "whale@example.com", order: Order("o-whale", 1000m, day: 20)));
        await _h.Recompute.RunAsync(Run2);
        await _h.PublishAsync();
        var webhook = _h.Pipeline.Destinations.Single(d => d.Settings.Name == "webhook");
        var gate = _h.Fakes.Webhooks.Faults.Gate = new RequestGate();

        var round = _h.Pipeline.DeliverAsync(webhook, force: true);
        await gate.Arrived.WaitAsync(TimeSpan.FromSeconds(30));
        var replay = _h.Pipeline.ReplayAsync("webhook");
        await Task.WhenAny(replay, Task.Delay(TimeSpan.FromSeconds(1)));
        var replayWaited = !replay.IsCompleted;
        gate.Open();
        var run = await round;
        var replayed = (await replay)!;
        var after = await _h.DeliverAsync();

        Assert.True(replayWaited, "the replay changed the queue while a round was sending");
        Assert.Equal("delivered", run.Outcome);
        Assert.Equal(10, replayed.Queued + replayed.Superseded);
        Assert.Equal(replayed.Queued, after["webhook"].Delivered);
        var ids = _h.Fakes.Webhooks.Events.Select(e => e.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(_h.Fakes.Webhooks.MessageIds.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task ValueChangeWithoutASegmentChange_UpdatesTheKlaviyoProfileProperties()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();
        var c9 = ActivationHarness.Email(9);
        var before = JsonDocument.Parse(_h.Fakes.Klaviyo.Profiles[c9].Properties).RootElement.GetProperty("cv_predicted_clv").GetDecimal();
        var imports = _h.Fakes.Klaviyo.Requests.All.Count(r => r.Path.EndsWith("profile-bulk-import-jobs", StringComparison.Ordinal));

        // c9, the top customer, buys a lot more: worth more, and still top-20.
        _h.P.Clock.Advance(TimeSpan.FromDays(1));
        await _h.P.ApplyKnownAsync(Activity(email: c9, order: Order("o-c9-more", 900m, day: 25)));
        await _h.Recompute.RunAsync(Run2);
        var profile = await _h.ByEmailAsync(c9);
        Assert.Contains(SegmentNames.Top20, profile.Segments);
        await _h.PublishAsync();
        await _h.DeliverAsync();

        var after = JsonDocument.Parse(_h.Fakes.Klaviyo.Profiles[c9].Properties).RootElement;
        Assert.Equal(profile.Value!.PredictedClv, after.GetProperty("cv_predicted_clv").GetDecimal());
        Assert.NotEqual(before, after.GetProperty("cv_predicted_clv").GetDecimal());
        Assert.Contains(SegmentNames.Top20, after.GetProperty("cv_segments").EnumerateArray().Select(e => e.GetString()));
        Assert.True(_h.Fakes.Klaviyo.Requests.All.Count(r => r.Path.EndsWith("profile-bulk-import-jobs", StringComparison.Ordinal)) > imports);
        Assert.Contains(c9, (await _h.MembersAsync(SegmentNames.Top20)).Klaviyo);
        _h.AssertNoFormatErrors();
    }

    [Fact]
    public async Task TooManyRequests_WaitsForRetryAfter_AndDelivers()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        _h.Fakes.Meta.Faults.Next(new Fault(429, RetryAfterSeconds: 1));

        var watch = Stopwatch.StartNew();
        var runs = await _h.DeliverAsync();

        Assert.Equal("delivered", runs["meta"].Outcome);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited only {watch.Elapsed}");
        Assert.Equal(429, _h.Fakes.Meta.Requests.All[0].Status);
        Assert.Equal(200, _h.Fakes.Meta.Requests.All[1].Status);
    }

    [Fact]
    public async Task PlatformThatHangs_TimesOut_AndTheRetrySucceeds()
    {
        await _h.DisposeAsync();
        _h = await ActivationHarness.StartAsync(s => s["Destinations:webhook:Timeout"] = "00:00:00.300");
        await _h.SeedAsync();
        await _h.PublishAsync();
        _h.Fakes.Webhooks.Faults.Next(new Fault(0, Hang: TimeSpan.FromSeconds(10)));

        var runs = await _h.DeliverAsync();

        Assert.Equal("delivered", runs["webhook"].Outcome);
        Assert.Contains(_h.Fakes.Webhooks.Requests.All, r => r.Error == "fault: hang");
    }

    [Fact]
    public async Task RevokedGoogleToken_IsRefreshedOnce()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();
        _h.Fakes.Google.RevokeTokens();
        _h.P.Clock.Advance(TimeSpan.FromDays(1));
        await _h.P.ApplyKnownAsync(Activity(email: "whale@example.com", order: Order("o-whale", 1000m, day: 20)) with
        {
            Consents = [new ConsentChange(ConsentChannel.Ads, true, Day0)],
        });
        await _h.Recompute.RunAsync(Run2);
        await _h.PublishAsync();

        var runs = await _h.DeliverAsync();

        Assert.Equal("delivered", runs["google"].Outcome);
        Assert.Equal(2, _h.Fakes.Google.TokensIssued);
        Assert.Contains(GoogleIdentifiers.HashEmail("whale@example.com")!, (await _h.MembersAsync(SegmentNames.Top20)).Google);
    }

    [Fact]
    public async Task AdsConsentWithdrawn_RemovesFromAdAudiencesOnly()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();
        _h.P.Clock.Advance(TimeSpan.FromHours(1));

        await _h.P.ApplyKnownAsync(Activity(email: ActivationHarness.Email(9)) with { Consents = [new ConsentChange(ConsentChannel.Ads, false, Day0.AddDays(30))] });
        await _h.PublishAsync();
        await _h.DeliverAsync();

        var (google, meta, klaviyo, webhook) = await _h.MembersAsync(SegmentNames.Top20);
        var c9 = ActivationHarness.Email(9);
        Assert.DoesNotContain(GoogleIdentifiers.HashEmail(c9)!, google);
        Assert.DoesNotContain(MetaIdentifiers.HashEmail(c9)!, meta);
        Assert.Contains(c9, klaviyo); // e-mail consent stands
        Assert.Contains((await _h.ByEmailAsync(c9)).Id, webhook); // webhooks carry no personal data and need no consent
    }

    [Fact]
    public async Task PeopleWithoutConsent_NeverReachAnAdPlatformOrEmailTool()
    {
        await _h.P.ApplyKnownAsync(Activity(email: "noconsent@example.com", order: Order("o-nc", 500m, day: 3)));
        await _h.SeedAsync();
        await _h.PublishAsync();

        await _h.DeliverAsync();

        var (google, meta, klaviyo, webhook) = await _h.MembersAsync(SegmentNames.Top20);
        Assert.DoesNotContain(GoogleIdentifiers.HashEmail("noconsent@example.com")!, google);
        Assert.DoesNotContain(MetaIdentifiers.HashEmail("noconsent@example.com")!, meta);
        Assert.DoesNotContain("noconsent@example.com", klaviyo);
        Assert.Contains((await _h.ByEmailAsync("noconsent@example.com")).Id, webhook);
    }

    [Fact]
    public async Task Erasure_RemovesThePersonFromEveryDestination_AndDeletesTheKlaviyoProfile()
    {
        await _h.SeedAsync();
        await _h.PublishAsync();
        await _h.DeliverAsync();
        var c9 = await _h.ByEmailAsync(ActivationHarness.Email(9));
        var eraser = new CustomerValue.Identity.Privacy.ProfileEraser(_h.P.Profiles, _h.P.Links, _h.P.Queries, _h.P.Normalizer, _h.P.Clock);
        _h.P.Clock.Advance(TimeSpan.FromHours(1));

        await eraser.EraseAsync(new RawIdentities { Emails = [ActivationHarness.Email(9)] }, []);
        await _h.PublishAsync();
        await _h.DeliverAsync();

        var (google, meta, klaviyo, webhook) = await _h.MembersAsync(SegmentNames.Top20);
        Assert.DoesNotContain(GoogleIdentifiers.HashEmail(ActivationHarness.Email(9))!, google);
        Assert.DoesNotContain(MetaIdentifiers.HashEmail(ActivationHarness.Email(9))!, meta);
        Assert.DoesNotContain(ActivationHarness.Email(9), klaviyo);
        Assert.DoesNotContain(c9.Id, webhook);
        Assert.Contains(ActivationHarness.Email(9), _h.Fakes.Klaviyo.Deleted);
        var record = await _h.P.Store.ReadAsync<CustomerValue.Publishing.Changes.PublishedMembership>("publications", c9.Id, c9.Id);
        Assert.Null(record!.Body.Destinations); // nothing of the person is kept for destinations any more
    }

    [Fact]
    public async Task RedeliveredChangeFeedBatch_SendsNothingTwice()
    {
        await _h.SeedAsync();
        var batch = await _h.NextBatchAsync();
        await _h.Publisher.PublishAsync(batch);
        await _h.DeliverAsync();
        var requests = (_h.Fakes.Google.Requests.All.Count, _h.Fakes.Meta.Requests.All.Count, _h.Fakes.Klaviyo.Requests.All.Count, _h.Fakes.Webhooks.Requests.All.Count);

        var again = await _h.Publisher.PublishAsync(batch);
        var runs = await _h.DeliverAsync();

        Assert.Equal(0, again.Queued);
        Assert.All(runs.Values, r => Assert.Equal("idle", r.Outcome));
        Assert.Equal(requests, (_h.Fakes.Google.Requests.All.Count, _h.Fakes.Meta.Requests.All.Count, _h.Fakes.Klaviyo.Requests.All.Count, _h.Fakes.Webhooks.Requests.All.Count));
        Assert.All(_h.Fakes.Webhooks.MessageIds.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task RedeliveredBatch_AfterItsRecordingFailed_RepeatsTheSameEventIds_EvenIfTheProfilesWereWrittenAgain()
    {
        await _h.SeedAsync();
        var batch = await _h.NextBatchAsync();
        await _h.Publisher.PublishAsync(batch);
        await _h.DeliverAsync();
        var sent = _h.Fakes.Webhooks.Events.Select(e => e.GetProperty("eventId").GetString()).ToHashSet();
        // As if recording what destinations were told had failed after queuing: the batch comes again, and meanwhile
        // every profile was written once more (a later version, the same segments).
        foreach (var profile in batch)
        {
            await _h.P.Store.DeleteAsync("publications", profile.Id, profile.Id);
            profile.UpdatedAt = profile.UpdatedAt.AddMinutes(1);
        }

        await _h.Publisher.PublishAsync(batch);
        await _h.DeliverAsync();

        Assert.NotEmpty(sent);
        Assert.Equal(sent, _h.Fakes.Webhooks.Events.Select(e => e.GetProperty("eventId").GetString()).ToHashSet());
    }

    [Fact]
    public async Task Holdout_IsNeverSentToAnyDestination()
    {
        await _h.DisposeAsync();
        _h = await ActivationHarness.StartAsync(s => s["Segments:middle-60:HoldoutShare"] = "0.5");
        await _h.SeedAsync();
        await _h.PublishAsync();

        await _h.DeliverAsync();

        var holdouts = new CustomerValue.Publishing.Holdouts.HoldoutPolicy(new Dictionary<string, double> { [SegmentNames.Middle60] = 0.5 });
        var middle = new List<CustomerProfile>();
        for (var i = 2; i < 8; i++)
        {
            middle.Add(await _h.ByEmailAsync(ActivationHarness.Email(i)));
        }

        var held = middle.Where(p => holdouts.IsHeldOut(p.Id, SegmentNames.Middle60)).ToList();
        Assert.NotEmpty(held); // six members at one half: all six on one side has probability 1/32 and these ids are fixed
        var (google, _, klaviyo, webhook) = await _h.MembersAsync(SegmentNames.Middle60);
        Assert.Equal(middle.Count - held.Count, google.Count);
        Assert.All(held, p => Assert.DoesNotContain(p.Emails[0], klaviyo));
        Assert.All(held, p => Assert.DoesNotContain(p.Id, webhook));
    }

    [Fact]
    public async Task Holdout_OfACustomSegmentsDefinition_IsNeverSent_AndConfigurationOverridesIt()
    {
        // middle-60 stands in for a custom segment whose definition carries holdoutShare 0.5; the share is read when
        // each change-feed batch is published, as the server reads the definitions saved through the API.
        var definitions = new Mock<ICustomSegmentHoldouts>();
        definitions.Setup(d => d.SharesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new Dictionary<string, double> { [SegmentNames.Middle60] = 0.5 });
        await _h.DisposeAsync();
        _h = await ActivationHarness.StartAsync(customHoldouts: definitions.Object);
        await _h.SeedAsync();
        await _h.PublishAsync();

        await _h.DeliverAsync();

        var policy = new HoldoutPolicy(new Dictionary<string, double> { [SegmentNames.Middle60] = 0.5 });
        var middle = new List<CustomerProfile>();
        for (var i = 2; i < 8; i++)
        {
            middle.Add(await _h.ByEmailAsync(ActivationHarness.Email(i)));
        }

        var held = middle.Where(p => policy.IsHeldOut(p.Id, SegmentNames.Middle60)).ToList();
        Assert.NotEmpty(held);
        var (google, _, _, webhook) = await _h.MembersAsync(SegmentNames.Middle60);
        Assert.Equal(middle.Count - held.Count, google.Count);
        Assert.All(held, p => Assert.DoesNotContain(p.Id, webhook));
        definitions.Verify(d => d.SharesAsync(It.IsAny<CancellationToken>()), Times.AtLeastOnce());
        var configured = policy.With(new Dictionary<string, double> { [SegmentNames.Middle60] = 0.1, ["vip"] = 0.2 });
        Assert.Equal(0.5, configured.ShareOf(SegmentNames.Middle60));
        Assert.Equal(0.2, configured.ShareOf("vip"));
    }
}
