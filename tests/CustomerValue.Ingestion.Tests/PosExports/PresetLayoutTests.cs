using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class PresetLayoutTests
{
    [Fact]
    public async Task SquareTransactions_ReadsPaymentsAndRefundsInTheRowsTimeZone()
    {
        var rows = await PosRead.FixtureAsync("square-transactions.csv", PosLayouts.SquareTransactions("USD"));
        Assert.All(rows, r => Assert.True(r.IsAccepted, r.Reason));

        var first = rows[0];
        Assert.Equal(PosRowStatus.Imported, first.Status);
        Assert.Equal("pos:market-street:tx:SQ7xAa1", first.Order!.OrderKey);
        Assert.Equal((31.16m, 3.00m, 2.16m, "USD"), (first.Order.Gross, first.Order.Discounts, first.Order.Tax, first.Order.Currency));

        // 10:02:11 Eastern daylight time (DST began 2025-03-09) is 14:02:11 UTC.
        Assert.Equal(new DateTimeOffset(2025, 3, 13, 14, 2, 11, TimeSpan.Zero), first.Order.PlacedAt);
        Assert.Equal(["square:CUST7QK2"], first.Activity!.Identities.SourceCustomerIds);
        Assert.Equal(("Dee", "Example"), (first.Activity.FirstName, first.Activity.LastName));

        Assert.Equal(PosRowStatus.Anonymous, rows[1].Status);
        Assert.Equal(1240.00m, rows[1].Order!.Gross);

        var refund = rows[2].Order!;
        Assert.Equal((OrderKind.Return, 12.96m, 0m), (refund.Kind, refund.Refunded, refund.Gross));
        Assert.StartsWith("pos:market-street:tx:SQ7xAa1:return:", refund.OrderKey, StringComparison.Ordinal);
        Assert.NotEqual(first.Order.OrderKey, refund.OrderKey);
    }

    [Fact]
    public async Task ShopifyPos_SkipsLineItemRows_AndKeysOrdersLikeTheWebhooks()
    {
        var rows = await PosRead.FixtureAsync("shopify-orders-export.csv", PosLayouts.ShopifyPos("example-shop.myshopify.com"));
        Assert.Equal(
            [PosRowStatus.Imported, PosRowStatus.Skipped, PosRowStatus.Imported, PosRowStatus.Anonymous],
            rows.Select(r => r.Status));

        var pos = rows[0].Order!;
        Assert.Equal("shopify:example-shop:order:5710001001", pos.OrderKey);
        Assert.Equal((44.28m, 3.28m, SalesChannel.Store, "market-street"), (pos.Gross, pos.Tax, pos.Channel, pos.StoreId));
        Assert.Equal(new DateTimeOffset(2026, 9, 12, 14, 0, 0, TimeSpan.Zero), pos.PlacedAt);
        Assert.Equal(["ada@example.com"], rows[0].Activity!.Identities.Emails);
        Assert.Equal(["5550000001"], rows[0].Activity!.Identities.Phones);
        Assert.Equal(("Ada", "Example"), (rows[0].Activity!.FirstName, rows[0].Activity!.LastName));

        var web = rows[2].Order!;
        Assert.Equal((SalesChannel.Online, 4.00m, 2.00m, 4.00m), (web.Channel, web.Refunded, web.Discounts, web.Shipping));
        Assert.Equal(["5550000002"], rows[2].Activity!.Identities.Phones);

        Assert.True(rows[3].Order!.Cancelled);
    }

    [Fact]
    public async Task SquareTransactions_TwelveHourTimesAndZoneAbbreviations_AreRead()
    {
        const string csv = "Date,Time,Time Zone,Total Collected,Transaction ID,Event Type,Location,Customer ID,Customer Name\n"
            + "10/05/2026,2:30:00 PM,Eastern Time (US & Canada),$70.00,TX900,Payment,Main,,\n"
            + "8/22/2026,09:14:03,MDT,\"$1,243.50\",TX901,Payment,Main,C9,Solo\n"
            + "8/22/2026,09:15:00,Atlantis Time,$1.00,TX902,Payment,Main,C9,Solo\n";
        var rows = await PosRead.TextAsync(csv, PosLayouts.SquareTransactions());
        Assert.Equal(new DateTimeOffset(2026, 10, 5, 18, 30, 0, TimeSpan.Zero), rows[0].Order!.PlacedAt);
        Assert.Equal(new DateTimeOffset(2026, 8, 22, 15, 14, 3, TimeSpan.Zero), rows[1].Order!.PlacedAt);
        Assert.Equal(1243.50m, rows[1].Order!.Gross);
        Assert.Equal(("Time Zone", "'Atlantis Time' is not a known time zone"), (rows[2].Column, rows[2].Reason));
    }
}
