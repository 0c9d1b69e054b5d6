using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Testing;
using CustomerValue.Storage.Documents;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

public sealed class ProfileResolverTests : IAsyncLifetime
{
    private ResolverHarness _p = null!;

    public async Task InitializeAsync() => _p = await ResolverHarness.CreateAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Apply_NewPerson_CreatesOneProfileWithTheirFacts()
    {
        var result = await _p.ApplyKnownAsync(Activity(email: "Jane@Example.com", phone: "(415) 555-2671", sourceId: "shopify:s:1", firstName: "Jane", order: Order("o-1", 50m)));

        Assert.True(result.Created);
        Assert.True(result.Changed);
        Assert.Empty(result.MergedProfileIds);
        var profile = Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(result.ProfileId, profile.Id);
        Assert.Equal(["jane@example.com"], profile.Emails);
        Assert.Equal(["+14155552671"], profile.Phones);
        Assert.Equal(["shopify:s:1"], profile.SourceCustomerIds);
        Assert.Equal("Jane", profile.FirstName);
        Assert.Equal(["o-1"], (await _p.OrdersAsync(profile.Id)).Select(o => o.OrderKey));
    }

    [Fact]
    public async Task Apply_OlderNameArrivingLate_DoesNotRollTheNameBack_AndRepeatingItChangesNothing()
    {
        var newer = Activity(email: "ana@example.com", firstName: "Ana", order: Order("o-2", 20m, day: 5)) with { LastName = "Silva" };
        var older = Activity(email: "ana@example.com", firstName: "Anna", order: Order("o-1", 10m, day: 1)) with { LastName = "Sylva" };

        var id = (await _p.ApplyKnownAsync(newer)).ProfileId;
        Assert.True((await _p.ApplyKnownAsync(older)).Changed); // its order is new
        Assert.False((await _p.ApplyKnownAsync(older)).Changed);

        var profile = await _p.ProfileAsync(id);
        Assert.Equal(("Ana", "Silva"), (profile.FirstName, profile.LastName));
    }

    [Fact]
    public async Task Merge_KeepsTheLatestNameWhicheverProfileSurvives()
    {
        await _p.ApplyKnownAsync(Activity(email: "a@example.com", firstName: "Older", order: Order("m-1", 10m, day: 1)));
        await _p.ApplyKnownAsync(Activity(phone: "+12024561001", firstName: "Newer", order: Order("m-2", 10m, day: 9)));

        var merged = await _p.ApplyKnownAsync(Activity(email: "a@example.com", phone: "+12024561001", order: Order("m-3", 10m, day: 3)));

        Assert.Equal("Newer", (await _p.ProfileAsync(merged.ProfileId)).FirstName);
    }

    [Fact]
    public async Task Apply_SamePersonBySourceId_AddsToTheSameProfile()
    {
        var first = await _p.ApplyKnownAsync(Activity(sourceId: "shopify:s:1", order: Order("o-1", 10m)));

        var second = await _p.ApplyKnownAsync(Activity(sourceId: "shopify:s:1", email: "new@example.com", order: Order("o-2", 20m)));

        Assert.Equal(first.ProfileId, second.ProfileId);
        Assert.False(second.Created);
        var profile = Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(["o-1", "o-2"], (await _p.OrdersAsync(profile.Id)).Select(o => o.OrderKey).Order(StringComparer.Ordinal));
        Assert.Equal(["new@example.com"], profile.Emails);
    }

    [Fact]
    public async Task Apply_SamePersonByEmailTypedDifferently_AddsToTheSameProfile()
    {
        var first = await _p.ApplyKnownAsync(Activity(email: "jane.doe@example.com", order: Order("o-1", 10m)));

        var second = await _p.ApplyKnownAsync(Activity(email: "  JANE.Doe@EXAMPLE.com ", order: Order("o-2", 20m)));

        Assert.Equal(first.ProfileId, second.ProfileId);
        Assert.Equal(2, Assert.Single(await _p.LiveProfilesAsync()).Orders);
    }

    [Fact]
    public async Task Apply_SamePersonByPhoneInAnotherFormat_AddsToTheSameProfile()
    {
        var first = await _p.ApplyKnownAsync(Activity(phone: "(415) 555-2671", order: Order("pos-1", 10m)));

        var second = await _p.ApplyKnownAsync(Activity(phone: "+1 415.555.2671", order: Order("pos-2", 20m)));

        Assert.Equal(first.ProfileId, second.ProfileId);
        Assert.Equal(2, Assert.Single(await _p.LiveProfilesAsync()).Orders);
    }

    [Fact]
    public async Task Apply_DifferentPeople_GetDifferentProfiles()
    {
        var jane = await _p.ApplyKnownAsync(Activity(email: "jane@example.com"));
        var john = await _p.ApplyKnownAsync(Activity(email: "john@example.com"));

        Assert.NotEqual(jane.ProfileId, john.ProfileId);
        Assert.Equal(2, (await _p.LiveProfilesAsync()).Count);
    }

    [Fact]
    public async Task Merge_WhenEmailAndPhoneBelongToTwoProfiles_KeepsBothHistories()
    {
        var byEmail = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("web-1", 100m)));
        var byPhone = await _p.ApplyKnownAsync(Activity(phone: "415-555-2671", order: Order("pos-1", 40m)));
        Assert.NotEqual(byEmail.ProfileId, byPhone.ProfileId);

        var linking = await _p.ApplyKnownAsync(Activity(email: "JANE@example.com", phone: "(415) 555 2671", order: Order("web-2", 10m)));

        var survivorId = string.CompareOrdinal(byEmail.ProfileId, byPhone.ProfileId) < 0 ? byEmail.ProfileId : byPhone.ProfileId;
        var absorbedId = survivorId == byEmail.ProfileId ? byPhone.ProfileId : byEmail.ProfileId;
        Assert.Equal(survivorId, linking.ProfileId);
        Assert.Equal([absorbedId], linking.MergedProfileIds);
        Assert.True(linking.Changed);

        var survivor = Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(survivorId, survivor.Id);
        Assert.Equal(["pos-1", "web-1", "web-2"], (await _p.OrdersAsync(survivor.Id)).Select(o => o.OrderKey).Order(StringComparer.Ordinal));
        Assert.Equal(150m, survivor.NetRevenue);
        Assert.Equal(["jane@example.com"], survivor.Emails);
        Assert.Equal(["+14155552671"], survivor.Phones);
        var merge = Assert.Single(survivor.Merges);
        Assert.Equal(absorbedId, merge.MergedProfileId);
    }

    [Fact]
    public async Task Merge_TheAbsorbedProfileBecomesARedirectThatStillResolves()
    {
        var a = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("web-1", 100m)));
        var b = await _p.ApplyKnownAsync(Activity(phone: "415-555-2671", order: Order("pos-1", 40m)));
        var linking = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", phone: "4155552671"));
        var absorbedId = linking.ProfileId == a.ProfileId ? b.ProfileId : a.ProfileId;

        var redirect = await _p.ProfileAsync(absorbedId);
        var found = await _p.Queries.FindAsync(absorbedId);

        Assert.Equal(linking.ProfileId, redirect.MergedInto);
        Assert.Empty(await _p.OrdersAsync(redirect.Id));
        Assert.Equal(0, redirect.OrderTotals.Kept);
        Assert.Empty(redirect.Emails);
        Assert.Empty(redirect.Phones);
        Assert.Null(redirect.Value);
        Assert.Equal(linking.ProfileId, found!.Body.Id);
        Assert.Equal(linking.ProfileId, (await _p.Queries.FindByIdentityAsync(new IdentityKey(IdentityKind.Phone, "+14155552671")))!.Body.Id);
        Assert.Equal(linking.ProfileId, (await _p.Queries.FindByIdentityAsync(new IdentityKey(IdentityKind.Email, "jane@example.com")))!.Body.Id);
    }

    [Fact]
    public async Task Merge_ThenARecordForTheAbsorbedIdentity_LandsOnTheSurvivor()
    {
        var a = await _p.ApplyKnownAsync(Activity(sourceId: "shopify:s:1", order: Order("web-1", 10m)));
        var b = await _p.ApplyKnownAsync(Activity(sourceId: "pos:card:9", order: Order("pos-1", 10m)));
        var linking = await _p.ApplyKnownAsync(Activity(sourceId: "shopify:s:1", email: "jane@example.com"));
        await _p.ApplyKnownAsync(Activity(sourceId: "pos:card:9", email: "jane@example.com"));

        var later = await _p.ApplyKnownAsync(Activity(sourceId: a.ProfileId == linking.ProfileId ? "pos:card:9" : "shopify:s:1", order: Order("pos-2", 5m)));

        var survivor = Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(survivor.Id, later.ProfileId);
        Assert.Equal(3, survivor.Orders);
        Assert.Contains(b.ProfileId == survivor.Id ? a.ProfileId : b.ProfileId, survivor.Merges.Select(m => m.MergedProfileId));
    }

    [Fact]
    public async Task Merge_OfThreeProfilesByOneRecord_LeavesOneLiveProfile()
    {
        await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 1m)));
        await _p.ApplyKnownAsync(Activity(phone: "4155552671", order: Order("o-2", 2m)));
        await _p.ApplyKnownAsync(Activity(loyaltyId: "card-42", order: Order("o-3", 3m)));

        var linking = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", phone: "4155552671", loyaltyId: "card-42"));

        var survivor = Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(survivor.Id, linking.ProfileId);
        Assert.Equal(2, linking.MergedProfileIds.Count);
        Assert.Equal(6m, survivor.NetRevenue);
        Assert.Equal(2, (await _p.AllProfilesAsync()).Count(d => d.Body.IsRedirect));
    }

    [Fact]
    public async Task Apply_StaleOrderVersion_NeverRollsBack()
    {
        await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 100m, version: 10, refunded: 30m)));

        var stale = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 100m, version: 5)));

        Assert.False(stale.Changed);
        var order = Assert.Single((await _p.OrdersAsync(stale.ProfileId)));
        Assert.Equal(30m, order.Refunded);
    }

    [Fact]
    public async Task Apply_NewerOrderVersion_ReplacesTheOlder()
    {
        await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 100m, version: 1)));

        var newer = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 100m, version: 2, refunded: 25m)));

        Assert.True(newer.Changed);
        Assert.Equal(75m, (await _p.ProfileAsync(newer.ProfileId)).NetRevenue);
    }

    [Fact]
    public async Task Apply_SameOrderTwice_DoesNotDoubleCount()
    {
        var first = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 100m)));
        var etag = (await _p.Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, first.ProfileId, first.ProfileId))!.ETag;

        var again = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("o-1", 100m)));

        Assert.False(again.Changed);
        var stored = (await _p.Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, first.ProfileId, first.ProfileId))!;
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(1, stored.Body.Orders);
        Assert.Equal(100m, stored.Body.GrossRevenue);
    }

    [Fact]
    public async Task Apply_AnonymousRecord_ReturnsNullAndStoresNothing()
    {
        var result = await _p.ApplyAsync(new CustomerActivity { Identities = new RawIdentities(), Order = Order("pos-9", 5m), OccurredAt = Day0 });
        var junk = await _p.ApplyAsync(Activity(email: "not-an-email", phone: "12", order: Order("pos-10", 5m)));

        Assert.Null(result);
        Assert.Null(junk);
        Assert.Empty(await _p.AllProfilesAsync());
    }

    [Fact]
    public async Task Find_UnknownProfile_ReturnsNull()
    {
        Assert.Null(await _p.Queries.FindAsync("cp-unknown"));
        Assert.Null(await _p.Queries.FindByIdentityAsync(new IdentityKey(IdentityKind.Email, "nobody@example.com")));
    }

    [Fact]
    public async Task NewProfileId_IsDerivedFromTheFirstIdentity_SoTheSamePersonGetsTheSameId()
    {
        var result = await _p.ApplyKnownAsync(Activity(email: "Jane@Example.com"));

        Assert.Equal(ProfileResolver.NewProfileId(_p.Links.LookupId(new IdentityKey(IdentityKind.Email, "jane@example.com"))), result.ProfileId);
    }

    [Fact]
    public async Task Apply_Concurrently_TwentyOrdersForOneEmail_EndOnOneProfile()
    {
        const int orders = 20;

        var results = await Task.WhenAll(Enumerable.Range(0, orders).Select(i =>
            Task.Run(() => _p.ApplyKnownAsync(Activity(email: i % 2 == 0 ? "jane@example.com" : " JANE@example.com", order: Order($"o-{i:D2}", 10m + i))))));

        var profile = Assert.Single(await _p.LiveProfilesAsync());
        Assert.All(results, r => Assert.Equal(profile.Id, r.ProfileId));
        Assert.Equal(orders, profile.Orders);
        Assert.Equal(Enumerable.Range(0, orders).Select(i => $"o-{i:D2}"), (await _p.OrdersAsync(profile.Id)).Select(o => o.OrderKey).Order(StringComparer.Ordinal));
        Assert.Single(results, r => r.Created);
    }

    [Fact]
    public async Task Apply_Concurrently_RecordsThatLinkTwoPeople_EndOnOneProfileWithEveryOrder()
    {
        await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("web-0", 1m)));
        await _p.ApplyKnownAsync(Activity(phone: "4155552671", order: Order("pos-0", 1m)));

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => _p.ApplyKnownAsync(
            i % 3 == 0 ? Activity(email: "jane@example.com", phone: "4155552671", order: Order($"both-{i}", 1m))
            : i % 3 == 1 ? Activity(email: "jane@example.com", order: Order($"web-{i}", 1m))
            : Activity(phone: "4155552671", order: Order($"pos-{i}", 1m))))));

        var profile = Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(14, profile.Orders);
    }

    [Fact]
    [Trait("Category", "Slow")] // many concurrent rounds: run by tests/run.sh, skipped by --fast
    public async Task Merge_WhenRecordsLinkingAChainArriveConcurrently_EndsWithOneProfileHoldingEachOrderOnce()
    {
        // Record i carries card-i and card-(i+1): together the eight records prove one person. Arriving at once,
        // they race to merge the same profiles into different survivors; the loser must not keep a copy.
        for (var round = 0; round < 40; round++)
        {
            await using var p = await ResolverHarness.CreateAsync();
            var records = Enumerable.Range(0, 8).Select(i => new CustomerActivity
            {
                Identities = new RawIdentities { LoyaltyIds = [$"card-{i}", $"card-{i + 1}"] },
                Order = Order($"o-{i}", 10m),
                OccurredAt = Day0,
            }).ToList();

            await Task.WhenAll(records.Select(r => Task.Run(() => p.ApplyKnownAsync(r))));

            var profile = Assert.Single(await p.LiveProfilesAsync());
            Assert.Equal(8, profile.Orders);
            Assert.Equal(9, profile.LoyaltyIds.Count);
        }
    }
}
