using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;

namespace CustomerValue.Identity.Tests;

public sealed class IdentityNormalizerTests
{
    private static readonly IdentityNormalizer Us = new(new IdentityOptions { DefaultRegion = "US" });
    private static readonly IdentityNormalizer De = new(new IdentityOptions { DefaultRegion = "DE" });

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("Jane.Doe@Example.COM")]
    [InlineData("  jane.doe@example.com  ")]
    [InlineData("\tJANE.DOE@EXAMPLE.COM\n")]
    public void NormalizeEmail_VariantsOfOneAddress_GiveOneKey(string raw)
    {
        Assert.Equal("jane.doe@example.com", IdentityNormalizer.NormalizeEmail(raw));
    }

    [Fact]
    public void NormalizeEmail_KeepsProviderSpecificCharacters()
    {
        // No Gmail-style rules: dots and plus tags may mean different people on other providers.
        Assert.Equal("j.a.n.e+shop@gmail.com", IdentityNormalizer.NormalizeEmail("J.A.N.E+shop@gmail.com"));
        Assert.NotEqual(IdentityNormalizer.NormalizeEmail("jane@example.com"), IdentityNormalizer.NormalizeEmail("j.ane@example.com"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("jane.doe")]
    [InlineData("@example.com")]
    [InlineData("jane@")]
    [InlineData("jane@example")]
    [InlineData("jane@.com")]
    [InlineData("jane@@example.com")]
    [InlineData("jane@doe@example.com")]
    [InlineData("jane doe@example.com")]
    [InlineData("n/a")]
    public void NormalizeEmail_WhenNotAnAddress_ReturnsNull(string? raw)
    {
        Assert.Null(IdentityNormalizer.NormalizeEmail(raw));
    }

    [Theory]
    [InlineData("(415) 555-2671")]
    [InlineData("415.555.2671")]
    [InlineData("415-555-2671")]
    [InlineData("4155552671")]
    [InlineData("+1 415 555 2671")]
    [InlineData("+14155552671")]
    [InlineData("1 (415) 555-2671")]
    [InlineData("  +1 (415) 555 2671 ")]
    public void NormalizePhone_UsFormats_GiveOneE164Number(string raw)
    {
        Assert.Equal("+14155552671", Us.NormalizePhone(raw));
    }

    [Theory]
    [InlineData("030 1234567")]
    [InlineData("(030) 123 45 67")]
    [InlineData("+49 30 1234567")]
    [InlineData("0049 30 1234567")]
    public void NormalizePhone_GermanNumbers_WithRegionDe_GiveE164(string raw)
    {
        Assert.Equal("+49301234567", De.NormalizePhone(raw));
    }

    [Fact]
    public void NormalizePhone_InternationalNumber_IgnoresTheDefaultRegion()
    {
        Assert.Equal("+49301234567", Us.NormalizePhone("+49 30 1234567"));
        Assert.Equal("+14155552671", De.NormalizePhone("+1 415 555 2671"));
    }

    [Fact]
    public void NormalizePhone_NationalNumber_IsReadInTheDefaultRegion()
    {
        Assert.NotEqual(Us.NormalizePhone("030 1234567"), De.NormalizePhone("030 1234567"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a phone")]
    [InlineData("12")]
    [InlineData("555-1234")]
    [InlineData("+1 415 555 26711234567")]
    [InlineData("+999 123456789")]
    [InlineData("n/a")]
    public void NormalizePhone_Junk_ReturnsNull(string? raw)
    {
        Assert.Null(Us.NormalizePhone(raw));
    }

    [Fact]
    public void Normalize_ReturnsDistinctNormalizedKeysInAStableOrder()
    {
        var keys = Us.Normalize(new RawIdentities
        {
            Phones = ["415.555.2671", "+1 415 555 2671", "junk"],
            Emails = ["B@Example.com", "a@example.com", " b@example.com", "not-an-email"],
            LoyaltyIds = [" loyalty:card:42 "],
            SourceCustomerIds = ["shopify:shop:2", "shopify:shop:1", " ", "shopify:shop:1"],
        });

        Assert.Equal(
            [
                new IdentityKey(IdentityKind.SourceCustomer, "shopify:shop:1"),
                new IdentityKey(IdentityKind.SourceCustomer, "shopify:shop:2"),
                new IdentityKey(IdentityKind.Email, "a@example.com"),
                new IdentityKey(IdentityKind.Email, "b@example.com"),
                new IdentityKey(IdentityKind.Phone, "+14155552671"),
                new IdentityKey(IdentityKind.Loyalty, "loyalty:card:42"),
            ],
            keys);
    }

    [Fact]
    public void Normalize_OfNothingUsable_IsEmpty()
    {
        Assert.Empty(Us.Normalize(new RawIdentities { Emails = ["nope"], Phones = ["123"], SourceCustomerIds = [" "] }));
    }
}
