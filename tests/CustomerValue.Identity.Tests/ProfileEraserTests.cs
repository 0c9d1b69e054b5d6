using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Privacy;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Testing;
using CustomerValue.Storage.Documents;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

/// <summary><see cref="ProfileEraser"/> and <see cref="ProfileResolver.RemoveOrderAsync"/> on the real embedded store.</summary>
public sealed class ProfileEraserTests : IAsyncLifetime
{
    private ResolverHarness _p = null!;
    private ProfileEraser _eraser = null!;

    public async Task InitializeAsync()
    {
        _p = await ResolverHarness.CreateAsync();
        _eraser = new ProfileEraser(_p.Profiles, _p.Links, _p.Queries, _p.Normalizer, _p.Clock);
    }

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task EraseAsync_MergedPerson_BothIdsAreGone_AndEveryLinkIsDeleted()
    {
        var online = await _p.ApplyKnownAsync(Activity(email: "merged@example.com", sourceId: "shopify:s:1", order: Order("shopify:s:order:1", 50m)));
        var store = await _p.ApplyKnownAsync(Activity(phone: "(415) 555-2671", loyaltyId: "loyalty:L-1", order: Order("pos:s:tx:1", 20m, day: 1)));
        Assert.NotEqual(online.ProfileId, store.ProfileId);
        var link = await _p.ApplyKnownAsync(Activity(email: "MERGED@example.com", phone: "+1 415 555 2671", order: Order("pos:s:tx:2", 10m, day: 2)));
        Assert.NotEmpty(link.MergedProfileIds);
        var survivor = await _p.ProfileAsync(link.ProfileId);
        Assert.Equal(3, survivor.Orders);

        var erased = await _eraser.EraseAsync(new RawIdentities { Emails = ["merged@example.com"] }, []);

        Assert.Equal([link.ProfileId], erased);
        Assert.Null(await LiveAsync(online.ProfileId));
        Assert.Null(await LiveAsync(store.ProfileId));
        var tombstone = await _p.ProfileAsync(link.ProfileId);
        Assert.True(tombstone.IsErased);
        Assert.Empty(tombstone.Emails);
        Assert.Empty(tombstone.Phones);
        Assert.Empty(tombstone.SourceCustomerIds);
        Assert.Empty(tombstone.LoyaltyIds);
        Assert.Empty(await _p.OrdersAsync(tombstone.Id));
        Assert.Equal(0, tombstone.OrderTotals.Kept);
        Assert.Empty(tombstone.Merges);
        Assert.Null(tombstone.FirstName);
        foreach (var key in new[]
        {
            new IdentityKey(IdentityKind.Email, "merged@example.com"),
            new IdentityKey(IdentityKind.Phone, "+14155552671"),
            new IdentityKey(IdentityKind.SourceCustomer, "shopify:s:1"),
            new IdentityKey(IdentityKind.Loyalty, "loyalty:L-1"),
        })
        {
            foreach (var lookupId in _p.Links.LookupIds(key))
            {
                Assert.Null(await _p.Store.ReadAsync<IdentityLink>(ContainerNames.Identities, lookupId, lookupId));
            }

            Assert.Null(await _p.Queries.FindByIdentityAsync(key));
        }

        foreach (var order in new[] { "shopify:s:order:1", "pos:s:tx:1", "pos:s:tx:2" })
        {
            Assert.Null(await _p.Queries.FindByOrderAsync(order));
        }

        // No lookup of any kind is left behind.
        await foreach (var document in _p.Store.ScanAsync<IdentityLink>(ContainerNames.Identities))
        {
            Assert.Fail($"Lookup '{document.Id}' survived the erasure.");
        }

        Assert.False(await _eraser.EraseProfileAsync(online.ProfileId));
        Assert.False(await _eraser.EraseProfileAsync(store.ProfileId));
    }

    [Fact]
    public async Task EraseProfileAsync_ThroughTheAbsorbedId_ErasesTheSurvivor()
    {
        var a = await _p.ApplyKnownAsync(Activity(email: "a@example.com", order: Order("o-1", 5m)));
        var b = await _p.ApplyKnownAsync(Activity(phone: "(415) 555-2671", order: Order("o-2", 5m)));
        var merged = await _p.ApplyKnownAsync(Activity(email: "a@example.com", phone: "(415) 555-2671"));
        var absorbed = a.ProfileId == merged.ProfileId ? b.ProfileId : a.ProfileId;

        Assert.True(await _eraser.EraseProfileAsync(absorbed));

        Assert.True((await _p.ProfileAsync(merged.ProfileId)).IsErased);
        Assert.Null(await _p.ProfileByEmailAsync("a@example.com"));
    }

    [Fact]
    public async Task ErasedPersonWhoOrdersAgain_GetsAFreshProfileWithoutTheOldOrders()
    {
        var first = await _p.ApplyKnownAsync(Activity(email: "back@example.com", phone: "(415) 555-2671", firstName: "Old", order: Order("o-old", 100m)));
        Assert.Single(await _eraser.EraseAsync(new RawIdentities { Phones = ["+14155552671"] }, []));
        _p.Clock.Advance(TimeSpan.FromDays(30));

        var again = await _p.ApplyKnownAsync(Activity(email: "Back@Example.com", order: Order("o-new", 30m, day: 40)));

        Assert.True(again.Created);
        var profile = await _p.ProfileAsync(again.ProfileId);
        Assert.False(profile.IsErased);
        Assert.Equal(["o-new"], (await _p.OrdersAsync(profile.Id)).Select(o => o.OrderKey));
        Assert.Equal(30m, profile.NetRevenue);
        Assert.Equal(["back@example.com"], profile.Emails);
        Assert.Empty(profile.Phones);
        Assert.Null(profile.FirstName);
        Assert.Equal(_p.Clock.GetUtcNow(), profile.CreatedAt);
        Assert.Null(await _p.Queries.FindByIdentityAsync(new IdentityKey(IdentityKind.Phone, "+14155552671")));
        Assert.Equal(again.ProfileId, (await _p.ProfileByEmailAsync("back@example.com"))?.Id);
        Assert.Single(await _p.LiveProfilesAsync(), p => !p.IsErased);
    }

    [Fact]
    public async Task ErasedMergedPersonWhoComesBackByTheAbsorbedProfilesIdentity_GetsAFreshProfile()
    {
        var a = await _p.ApplyKnownAsync(Activity(email: "twice@example.com", order: Order("o-1", 10m)));
        var b = await _p.ApplyKnownAsync(Activity(phone: "(415) 555-2671", order: Order("o-2", 20m)));
        await _p.ApplyKnownAsync(Activity(email: "twice@example.com", phone: "(415) 555-2671"));
        await _eraser.EraseAsync(new RawIdentities { Emails = ["twice@example.com"] }, []);

        var back = await _p.ApplyKnownAsync(Activity(phone: "+1 415 555 2671", order: Order("o-3", 7m, day: 5)));

        var profile = await _p.ProfileAsync(back.ProfileId);
        Assert.Equal(["o-3"], (await _p.OrdersAsync(profile.Id)).Select(o => o.OrderKey));
        Assert.Empty(profile.Emails);
        Assert.Null(await _p.ProfileByEmailAsync("twice@example.com"));
        Assert.Contains(back.ProfileId, new[] { a.ProfileId, b.ProfileId });
    }

    [Fact]
    public async Task EraseAsync_ByOrderKeyOnly_FindsAndErasesTheOwner()
    {
        var owner = await _p.ApplyKnownAsync(Activity(email: "by.order@example.com", order: Order("shopify:s:order:77", 10m)));

        var erased = await _eraser.EraseAsync(new RawIdentities(), ["shopify:s:order:77"]);

        Assert.Equal([owner.ProfileId], erased);
        Assert.Null(await _p.ProfileByEmailAsync("by.order@example.com"));
    }

    [Fact]
    public async Task RemoveOrderAsync_IsIdempotent_AndLeavesTheOtherOrders()
    {
        var owner = await _p.ApplyKnownAsync(Activity(email: "del@example.com", order: Order("woo:o:1", 10m)));
        await _p.ApplyKnownAsync(Activity(email: "del@example.com", order: Order("woo:o:2", 20m, day: 1)));

        var first = await _p.Resolver.RemoveOrderAsync("woo:o:1");
        var stored = await _p.Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, owner.ProfileId, owner.ProfileId);
        var second = await _p.Resolver.RemoveOrderAsync("woo:o:1");
        var unknown = await _p.Resolver.RemoveOrderAsync("woo:o:never");

        Assert.Equal(owner.ProfileId, first);
        Assert.Null(second);
        Assert.Null(unknown);
        var profile = await _p.ProfileAsync(owner.ProfileId);
        Assert.Equal(["woo:o:2"], (await _p.OrdersAsync(profile.Id)).Select(o => o.OrderKey));
        Assert.Equal(stored!.ETag, (await _p.Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, owner.ProfileId, owner.ProfileId))!.ETag);
        Assert.Null(await _p.Queries.FindByOrderAsync("woo:o:1"));
    }

    [Fact]
    public async Task RemoveOrderAsync_OfAMergedAwayProfilesOrder_RemovesItFromTheSurvivor()
    {
        await _p.ApplyKnownAsync(Activity(email: "m@example.com", order: Order("o-a", 10m)));
        await _p.ApplyKnownAsync(Activity(phone: "(415) 555-2671", order: Order("o-b", 20m)));
        var merged = await _p.ApplyKnownAsync(Activity(email: "m@example.com", phone: "(415) 555-2671"));

        var owner = await _p.Resolver.RemoveOrderAsync("o-b");

        Assert.Equal(merged.ProfileId, owner);
        Assert.Equal(["o-a"], (await _p.OrdersAsync(merged.ProfileId)).Select(o => o.OrderKey));
    }

    [Fact]
    public async Task RedactSourceAsync_RemovesTheSourcesOrdersAndIds_AndErasesWhoHasNothingElse()
    {
        var both = await _p.ApplyKnownAsync(Activity(email: "both@example.com", sourceId: "shopify:s:1", order: Order("shopify:s:order:1", 10m)));
        await _p.ApplyKnownAsync(Activity(email: "both@example.com", sourceId: "pos:x:9", order: Order("pos:x:tx:1", 20m, day: 1)));
        var onlyShop = await _p.ApplyKnownAsync(Activity(email: "only@example.com", sourceId: "shopify:s:2", order: Order("shopify:s:order:2", 5m)));
        var otherShop = await _p.ApplyKnownAsync(Activity(email: "other@example.com", sourceId: "shopify:s2:3", order: Order("shopify:s2:order:3", 5m)));

        var touched = await _eraser.RedactSourceAsync("shopify:s:");

        Assert.Equal(2, touched);
        var kept = await _p.ProfileAsync(both.ProfileId);
        Assert.Equal(["pos:x:tx:1"], (await _p.OrdersAsync(kept.Id)).Select(o => o.OrderKey));
        Assert.Equal(["pos:x:9"], kept.SourceCustomerIds);
        Assert.True((await _p.ProfileAsync(onlyShop.ProfileId)).IsErased);
        Assert.Null(await _p.ProfileByEmailAsync("only@example.com"));
        Assert.Equal(["shopify:s2:order:3"], (await _p.OrdersAsync(otherShop.ProfileId)).Select(o => o.OrderKey));
        Assert.Null(await _p.Queries.FindByIdentityAsync(new IdentityKey(IdentityKind.SourceCustomer, "shopify:s:1")));
        Assert.Null(await _p.Queries.FindByOrderAsync("shopify:s:order:1"));
    }

    /// <summary>The live profile an id resolves to, as the read API sees it; null when none or erased.</summary>
    private async Task<CustomerProfile?> LiveAsync(string id) =>
        await _p.Queries.FindAsync(id) is { Body.IsErased: false } live ? live.Body : null;
}
