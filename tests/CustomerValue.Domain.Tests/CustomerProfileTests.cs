using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;

namespace CustomerValue.Domain.Tests;

public class CustomerProfileTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Aggregates_CountPurchasesOnly_AndNetRevenueIsGrossLessRefundsOfUncancelledOrders()
    {
        var profile = Profile(
            Order("a", Day0, 100m, refunded: 30m, channel: SalesChannel.Online, device: "iphone"),
            Order("b", Day0.AddDays(10), 50m, channel: SalesChannel.Store),
            Order("c", Day0.AddDays(20), 999m, cancelled: true),
            Order("d", Day0.AddDays(30), 0m, kind: OrderKind.Return, refunded: 20m));

        Assert.Equal(2, profile.Orders);
        Assert.Equal(150m, profile.GrossRevenue);
        Assert.Equal(50m, profile.Refunds);
        Assert.Equal(100m, profile.NetRevenue);
        Assert.Equal([SalesChannel.Online, SalesChannel.Store], profile.Channels);
        Assert.Equal(["iphone"], profile.Devices);
        Assert.Equal(Day0, profile.FirstOrderAt);
        Assert.Equal(Day0.AddDays(10), profile.LastOrderAt);
    }

    [Fact]
    public void AcquisitionChannel_IsTheFirstTouchOfTheEarliestPurchaseThatHasOne()
    {
        var profile = Profile(
            Order("late", Day0.AddDays(5), 10m, acquisition: "google/cpc"),
            Order("first-without", Day0, 10m),
            Order("early", Day0.AddDays(1), 10m, acquisition: "newsletter/email"));

        Assert.Equal("newsletter/email", profile.AcquisitionChannel);
    }

    [Fact]
    public void HasConsent_TakesTheLatestDecisionPerChannel_AndNoDecisionMeansNo()
    {
        var profile = Profile();
        profile.Consent.Add(new ConsentChange(ConsentChannel.Email, true, Day0.AddDays(2)));
        profile.Consent.Add(new ConsentChange(ConsentChannel.Email, false, Day0.AddDays(1)));
        profile.Consent.Add(new ConsentChange(ConsentChannel.Sms, true, Day0));
        profile.Consent.Add(new ConsentChange(ConsentChannel.Sms, false, Day0.AddDays(3)));

        Assert.True(profile.HasConsent(ConsentChannel.Email));
        Assert.False(profile.HasConsent(ConsentChannel.Sms));
        Assert.False(Profile().HasConsent(ConsentChannel.Email));
    }

    [Fact]
    public void OrderTotals_ReplacingAVersion_CountsOnlyTheNewOne()
    {
        var first = Order("a", Day0, 100m, versionAt: Day0.AddHours(2));
        var totals = OrderTotals.Of([first]);

        var refunded = first with { Refunded = 30m, VersionAt = Day0.AddHours(3) };
        Assert.True(totals.Replace(first, refunded));

        Assert.Equal((1, 1, 100m, 30m), (totals.Purchases, totals.RefundedPurchases, totals.Gross, totals.Refunded));
        Assert.Equal([new PurchaseDay(DateOnly.FromDateTime(Day0.UtcDateTime), 1, 1, 70m, 0m)], totals.Days);
    }

    [Fact]
    public void OrderTotals_CancellingTheLatestPurchase_AsksForARebuild_AndTheRebuildIsRight()
    {
        var early = Order("a", Day0, 10m, channel: SalesChannel.Store);
        var late = Order("b", Day0.AddDays(3), 20m);
        var totals = OrderTotals.Of([early, late]);

        var cancelled = late with { Cancelled = true, VersionAt = late.VersionAt.AddHours(1) };
        Assert.False(totals.Replace(late, cancelled));

        var rebuilt = OrderTotals.Of([early, cancelled]);
        Assert.Equal((1, 10m, Day0, Day0), (rebuilt.Purchases, rebuilt.Gross, rebuilt.FirstPurchaseAt!.Value, rebuilt.LastPurchaseAt!.Value));
        Assert.Equal([SalesChannel.Store], rebuilt.Channels.Select(c => c.Channel));
        Assert.Equal(2, rebuilt.Kept);
    }

    [Fact]
    public void PurchaseDay_IsStoredAsACompactArray()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new PurchaseDay(new DateOnly(2025, 3, 9), 2, 2, 12.5m, -3m));

        Assert.Equal("[20250309,2,2,12.5,-3]", json);
        Assert.Equal(new PurchaseDay(new DateOnly(2025, 3, 9), 2, 2, 12.5m, -3m), System.Text.Json.JsonSerializer.Deserialize<PurchaseDay>(json));
    }

    [Fact]
    public void AddDistinct_KeepsValuesSortedAndUnique()
    {
        var values = new List<string>();

        Assert.True(CustomerProfile.AddDistinct(values, "b"));
        Assert.True(CustomerProfile.AddDistinct(values, "a"));
        Assert.False(CustomerProfile.AddDistinct(values, "b"));
        Assert.Equal(["a", "b"], values);
    }

    [Fact]
    public void LookupId_IsTheKindAndTheSha256OfTheNormalizedValue()
    {
        // SHA-256("ada@example.com"), as any tool computes it.
        Assert.Equal("email-b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72", new IdentityKey(IdentityKind.Email, "ada@example.com").LookupId);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", IdentityKey.Sha256Hex(string.Empty));
        Assert.NotEqual(new IdentityKey(IdentityKind.Email, "x").LookupId, new IdentityKey(IdentityKind.Phone, "x").LookupId);
    }

    [Fact]
    public void Nps_NineOrTenIsAPromoter()
    {
        Assert.True(new NpsAnswer(9, Day0).IsPromoter);
        Assert.False(new NpsAnswer(8, Day0).IsPromoter);
    }

    private static CustomerProfile Profile(params OrderRecord[] orders)
    {
        return new CustomerProfile { Id = "cp-test", OrderTotals = OrderTotals.Of(orders) };
    }

    private static OrderRecord Order(
        string key, DateTimeOffset placedAt, decimal gross, decimal refunded = 0m, bool cancelled = false, OrderKind kind = OrderKind.Sale,
        SalesChannel channel = SalesChannel.Online, string? device = null, string? acquisition = null, DateTimeOffset? versionAt = null) => new()
    {
        OrderKey = key,
        Kind = kind,
        PlacedAt = placedAt,
        VersionAt = versionAt ?? placedAt,
        Gross = gross,
        Refunded = refunded,
        Cancelled = cancelled,
        Channel = channel,
        Device = device,
        AcquisitionChannel = acquisition,
    };
}
