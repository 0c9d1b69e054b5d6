using CustomerValue.Domain.Identities;
using CustomerValue.Testing;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

/// <summary>
/// "A record is matched to a profile only by equal normalized identifiers": two different identifiers must never
/// share a lookup document, whatever characters they hold (Cosmos DB forbids / \ ? # in ids, so they need encoding).
/// </summary>
public sealed class LookupIdCollisionTests : IAsyncLifetime
{
    private ResolverHarness _p = null!;

    public async Task InitializeAsync() => _p = await ResolverHarness.CreateAsync();

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Theory]
    [InlineData(IdentityKind.Loyalty, "loyalty:CARD/1", "loyalty:CARD_1")]
    [InlineData(IdentityKind.Loyalty, "loyalty:A#7", "loyalty:A?7")]
    [InlineData(IdentityKind.SourceCustomer, "crm:gid/42", "crm:gid_42")]
    public void DifferentIdentifiers_HaveDifferentLookupIds(IdentityKind kind, string one, string other) =>
        Assert.NotEqual(new IdentityKey(kind, one).LookupId, new IdentityKey(kind, other).LookupId);

    [Fact]
    public async Task TwoPeopleWhoseLoyaltyCardsDifferOnlyByAReservedCharacter_StaySeparate()
    {
        var first = await _p.ApplyKnownAsync(Activity(loyaltyId: "loyalty:CARD/1", email: "first@example.com", order: Order("pos:s:tx:1", 10m)));

        var second = await _p.ApplyKnownAsync(Activity(loyaltyId: "loyalty:CARD_1", email: "second@example.com", order: Order("pos:s:tx:2", 20m)));

        Assert.NotEqual(first.ProfileId, second.ProfileId);
        Assert.Empty(second.MergedProfileIds);
        Assert.Equal(2, (await _p.LiveProfilesAsync()).Count);
    }

    [Fact]
    public void AnOverlongSourceId_StillHasAValidDocumentId()
    {
        var id = new IdentityKey(IdentityKind.SourceCustomer, "crm:" + new string('7', 300)).LookupId;

        Assert.InRange(id.Length, 1, 255);
        Assert.Equal(-1, id.AsSpan().IndexOfAny("/\\?#"));
    }
}
