using CustomerValue.Domain.Identities;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

/// <summary>Data folders from when orders were linked in the identities container lose those links, and nothing else.</summary>
public sealed class OrderLinkRetirementTests : IAsyncLifetime
{
    private ResolverHarness _p = null!;

    public async Task InitializeAsync() => _p = await ResolverHarness.CreateAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Run_DeletesEveryOrderLink_KeepsIdentityLinks_AndOrdersAreStillFound()
    {
        var person = await _p.ApplyKnownAsync(Activity(email: "old@example.com", order: Order("o-1", 10m, day: 1)));
        foreach (var orderKey in new[] { "o-1", "o-gone" })
        {
            // What an older version wrote for each order.
            var linkId = IdentityLinkIndex.OrderLinkId(orderKey);
            await _p.Store.UpsertAsync(ContainerNames.Identities, linkId, linkId, new IdentityLink(linkId, person.ProfileId, IdentityKind.SourceCustomer));
        }

        var deleted = await new OrderLinkRetirement(_p.Store).RunAsync();

        Assert.Equal(2, deleted);
        var left = new List<string>();
        await foreach (var link in _p.Store.ScanAsync<IdentityLink>(ContainerNames.Identities))
        {
            left.Add(link.Id);
        }

        Assert.Equal([_p.Links.LookupId(new IdentityKey(IdentityKind.Email, "old@example.com"))], left);
        Assert.Equal(person.ProfileId, (await _p.Queries.FindByOrderAsync("o-1"))!.Id);
        Assert.Null(await _p.Queries.FindByOrderAsync("o-gone"));

        // Once finished, it does not scan again, and new orders write no links.
        await _p.ApplyKnownAsync(Activity(email: "old@example.com", order: Order("o-2", 5m, day: 2)));
        Assert.Equal(0, await new OrderLinkRetirement(_p.Store).RunAsync());
        Assert.Null(await _p.Store.ReadAsync<IdentityLink>(ContainerNames.Identities, IdentityLinkIndex.OrderLinkId("o-2"), IdentityLinkIndex.OrderLinkId("o-2")));
    }
}
