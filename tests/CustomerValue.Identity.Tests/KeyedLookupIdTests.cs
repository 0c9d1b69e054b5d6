using CustomerValue.Domain.Identities;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

/// <summary>
/// Identity links are stored under a keyed hash, so a copy of the store does not give e-mails and phone numbers away;
/// links stored under the unkeyed hash before keep working and move to the keyed id.
/// </summary>
public sealed class KeyedLookupIdTests : IAsyncLifetime
{
    private static readonly IdentityKey Email = new(IdentityKind.Email, "jane@example.com");
    private ResolverHarness _p = null!;

    public async Task InitializeAsync() => _p = await ResolverHarness.CreateAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public void LookupId_IsAnHmacUnderTheDeploymentKey_NotThePlainSha256()
    {
        var keyed = _p.Links.LookupId(Email);
        var otherDeployment = IdentityLookupIds.FromText(IdentityLookupIds.NewKeyText()).For(Email);

        Assert.StartsWith("email-", keyed, StringComparison.Ordinal);
        Assert.NotEqual(Email.LookupId, keyed);
        Assert.DoesNotContain(IdentityKey.Sha256Hex(Email.Value), keyed, StringComparison.Ordinal);
        Assert.NotEqual(keyed, otherDeployment);
        Assert.Equal(keyed, ResolverHarness.LookupIds.For(Email));
    }

    [Fact]
    public void Key_ShorterThan32Bytes_IsRefused() =>
        Assert.Throws<ArgumentException>(() => IdentityLookupIds.FromText("too-short"));

    [Fact]
    public async Task Apply_StoresTheLinkUnderTheKeyedIdOnly()
    {
        var result = await _p.ApplyKnownAsync(Activity(email: "Jane@Example.com", order: Order("pos:s:tx:1", 10m)));

        Assert.Equal(result.ProfileId, (await ReadLinkAsync(_p.Links.LookupId(Email)))?.ProfileId);
        Assert.Null(await ReadLinkAsync(Email.LookupId));
    }

    [Fact]
    public async Task LegacyLink_IsFound_AndMovedToTheKeyedIdByTheNextRecordOfThatPerson()
    {
        var first = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("pos:s:tx:1", 10m)));
        await MakeLegacyAsync(Email, first.ProfileId);

        Assert.Equal(first.ProfileId, (await _p.Queries.FindByIdentityAsync(Email))?.Body.Id);

        var second = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("pos:s:tx:2", 20m)));

        Assert.Equal(first.ProfileId, second.ProfileId);
        Assert.Single(await _p.LiveProfilesAsync());
        Assert.Equal(first.ProfileId, (await ReadLinkAsync(_p.Links.LookupId(Email)))?.ProfileId);
        Assert.Null(await ReadLinkAsync(Email.LookupId));
    }

    [Fact]
    public async Task Erase_RemovesALegacyLinkToo()
    {
        var first = await _p.ApplyKnownAsync(Activity(email: "jane@example.com", order: Order("pos:s:tx:1", 10m)));
        await MakeLegacyAsync(Email, first.ProfileId);
        var eraser = new Privacy.ProfileEraser(_p.Profiles, _p.Links, _p.Queries, _p.Normalizer, _p.Clock);

        await eraser.EraseAsync(new Domain.Profiles.RawIdentities { Emails = ["jane@example.com"] }, [], CancellationToken.None);

        Assert.Null(await ReadLinkAsync(Email.LookupId));
        Assert.Null(await ReadLinkAsync(_p.Links.LookupId(Email)));
    }

    /// <summary>Leaves the identity's link as data from before keyed ids held it: under the unkeyed id only.</summary>
    private async Task MakeLegacyAsync(IdentityKey key, string profileId)
    {
        await _p.Links.DeleteAsync(_p.Links.LookupId(key));
        await _p.Store.CreateAsync(ContainerNames.Identities, key.LookupId, key.LookupId, new IdentityLink(key.LookupId, profileId, key.Kind));
    }

    private async Task<IdentityLink?> ReadLinkAsync(string id) =>
        (await _p.Store.ReadAsync<IdentityLink>(ContainerNames.Identities, id, id))?.Body;
}
