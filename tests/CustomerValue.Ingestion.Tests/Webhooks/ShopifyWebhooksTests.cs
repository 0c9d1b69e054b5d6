using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.Shopify;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class ShopifyWebhooksTests
{
    private static ParsedWebhook Parse(string topic, string fixture)
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify(topic, Fixture.Bytes(fixture)));
        Assert.True(result.Succeeded, result.Error);
        return result.Webhook;
    }

    [Theory]
    [InlineData("orders/create")]
    [InlineData("orders/updated")]
    [InlineData("orders/paid")]
    [InlineData("orders/cancelled")]
    public void OrderTopics_ReadTheOrderWithShopKeyAndDeliveryId(string topic)
    {
        var webhook = Parse(topic, "Shopify/orders-create-multi-currency.json");
        Assert.Equal(topic, webhook.Topic);
        Assert.Equal(Fixture.Shop, webhook.Source);
        Assert.Equal("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", webhook.DeliveryId);
        Assert.Equal("shopify:example-shop:order:5960142241812", Assert.Single(webhook.Activities).Order!.OrderKey);
    }

    [Fact]
    public void OrdersCreate_MultiCurrencyOrder_UsesShopMoneyNotPresentmentMoney()
    {
        var order = Assert.Single(Parse("orders/create", "Shopify/orders-create-multi-currency.json").Activities).Order!;
        Assert.Equal("EUR", order.Currency);
        Assert.Equal(108.10m, order.Gross);
        Assert.Equal(9.20m, order.Discounts);
        Assert.Equal(11.50m, order.Tax);
        Assert.Equal(4.60m, order.Shipping);
        Assert.Equal(0m, order.Refunded);
    }

    [Fact]
    public void OrdersCreate_ReadsTimesChannelDeviceAndAcquisition()
    {
        var activity = Assert.Single(Parse("orders/create", "Shopify/orders-create-multi-currency.json").Activities);
        var order = activity.Order!;
        Assert.Equal(DateTimeOffset.Parse("2025-03-10T14:02:10+01:00", System.Globalization.CultureInfo.InvariantCulture), order.PlacedAt);
        Assert.Equal(DateTimeOffset.Parse("2025-03-10T14:02:13+01:00", System.Globalization.CultureInfo.InvariantCulture), order.VersionAt);
        Assert.Equal(order.VersionAt, activity.OccurredAt);
        Assert.Equal(SalesChannel.Online, order.Channel);
        Assert.Equal("mobile", order.Device);
        Assert.Equal("google/cpc", order.AcquisitionChannel);
        Assert.False(order.Cancelled);
        Assert.Equal(OrderKind.Sale, order.Kind);
    }

    [Fact]
    public void OrdersCreate_CollectsEveryIdentityOnce()
    {
        var activity = Assert.Single(Parse("orders/create", "Shopify/orders-create-multi-currency.json").Activities);
        Assert.Equal(["shopify:example-shop:7190345122068"], activity.Identities.SourceCustomerIds);
        Assert.Equal(["jane.roe@example.com"], activity.Identities.Emails);
        Assert.Equal(["+15550100199", "+1 (555) 010-0199"], activity.Identities.Phones);
        Assert.Equal("Jane", activity.FirstName);
        Assert.Equal("Roe", activity.LastName);
        var consent = Assert.Single(activity.Consents!);
        Assert.Equal(new ConsentChange(ConsentChannel.Email, true, DateTimeOffset.Parse("2025-03-10T14:02:09+01:00", System.Globalization.CultureInfo.InvariantCulture)), consent);
    }

    [Fact]
    public void OrdersUpdated_WithRefund_CountsOnlySuccessfulRefundTransactions_InShopMoney()
    {
        var order = Assert.Single(Parse("orders/updated", "Shopify/orders-updated-refunded.json").Activities).Order!;

        // 20 USD refunded; the order converted 117.50 USD into 108.10 EUR, so 18.40 EUR. The failed retry is ignored.
        Assert.Equal(18.40m, order.Refunded);
        var refund = Assert.Single(order.Refunds!);
        Assert.Equal("1032884093204", refund.RefundId);

        // Gross stays what was charged; current_total_price already has the refund taken off.
        Assert.Equal(108.10m, order.Gross);
        Assert.Equal(89.70m, order.NetRevenue);
    }

    [Fact]
    public void RefundsCreate_GivesARefundOnlyRecordCarryingTheRefundId()
    {
        var webhook = Parse("refunds/create", "Shopify/refunds-create.json");
        var activity = Assert.Single(webhook.Activities);
        var order = activity.Order!;
        Assert.True(activity.Identities.IsEmpty);
        Assert.True(order.IsRefundOnly);
        Assert.Equal(OrderKind.Return, order.Kind);
        Assert.Equal("shopify:example-shop:order:5960142241812", order.OrderKey);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal(18.40m, order.Refunded);
        Assert.Equal(0m, order.Gross);
        Assert.Equal(new OrderRefund("1032884093204", 18.40m, order.VersionAt), Assert.Single(order.Refunds!));
        Assert.Empty(webhook.Warnings);
    }

    [Fact]
    public void OrdersCancelled_PosOrderWithoutCustomer_IsStoreChannelAndCancelled()
    {
        var activity = Assert.Single(Parse("orders/cancelled", "Shopify/orders-cancelled-pos.json").Activities);
        var order = activity.Order!;
        Assert.True(order.Cancelled);
        Assert.Equal(SalesChannel.Store, order.Channel);
        Assert.Equal("pos", order.Device);
        Assert.Equal("store/pos", order.AcquisitionChannel);
        Assert.Equal("71120429332", order.StoreId);
        Assert.Equal(0m, order.NetRevenue);
        Assert.Empty(activity.Identities.SourceCustomerIds);
        Assert.Equal(["+49 30 1234567"], activity.Identities.Phones);
    }

    [Fact]
    public void CustomersUpdate_ReadsIdentitiesNamesAndConsentWithoutAnOrder()
    {
        var activity = Assert.Single(Parse("customers/update", "Shopify/customers-update.json").Activities);
        Assert.Null(activity.Order);
        Assert.Equal("Roe-Smith", activity.LastName);
        Assert.Equal(["+15550100199", "555-010-0123"], activity.Identities.Phones);
        Assert.Equal(
            [(ConsentChannel.Email, false), (ConsentChannel.Sms, true)],
            activity.Consents!.Select(c => (c.Channel, c.Granted)));
    }

    [Theory]
    [InlineData("customers/data_request", "Shopify/customers-data_request.json", PrivacyRequestKind.DataRequest)]
    [InlineData("customers/redact", "Shopify/customers-redact.json", PrivacyRequestKind.RedactCustomer)]
    public void PrivacyTopics_NameTheCustomerAndOrders(string topic, string fixture, PrivacyRequestKind kind)
    {
        var webhook = Parse(topic, fixture);
        Assert.Empty(webhook.Activities);
        var privacy = webhook.Privacy!;
        Assert.Equal(kind, privacy.Kind);
        Assert.Equal("example-shop.myshopify.com", privacy.Source);
        Assert.Equal(["shopify:example-shop:191167"], privacy.SourceCustomerIds);
        Assert.Equal(["john.doe@example.com"], privacy.Emails);
        Assert.Equal(["555-625-1199"], privacy.Phones);
        Assert.Equal(
            ["shopify:example-shop:order:299938", "shopify:example-shop:order:280263", "shopify:example-shop:order:220458"],
            privacy.OrderKeys);
        Assert.DoesNotContain("john.doe", privacy.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ShopRedact_IsARequestToEraseTheShop()
    {
        var privacy = Parse("shop/redact", "Shopify/shop-redact.json").Privacy!;
        Assert.Equal(PrivacyRequestKind.RedactShop, privacy.Kind);
        Assert.Empty(privacy.SourceCustomerIds);
        Assert.Empty(privacy.OrderKeys);
    }

    [Fact]
    public void MalformedJson_FailsWithThePosition_AndNoBodyContent()
    {
        var body = Fixture.Utf8("{\n  \"id\": 1,\n  \"email\": \"leak@example.com\" \"oops\": 2\n}");
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/create", body));
        Assert.False(result.Succeeded);
        Assert.Contains("malformed JSON at line 3", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("leak", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredField_NamesTheField()
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/create", Fixture.Utf8("{\"email\":\"a@example.com\",\"updated_at\":\"2025-01-01T00:00:00Z\"}")));
        Assert.Equal("shopify orders/create: required field 'id' is missing or empty.", result.Error);
    }

    [Fact]
    public void UnsupportedTopic_FailsNamingIt()
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("products/create", Fixture.Utf8("{}")));
        Assert.StartsWith("shopify: topic 'products/create' is not supported", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTopicHeader_Fails()
    {
        var request = Fixture.Shopify("orders/create", Fixture.Bytes("Shopify/orders-create-multi-currency.json"));
        var headers = request.Headers.Where(h => h.Key != "X-Shopify-Topic").ToDictionary(StringComparer.OrdinalIgnoreCase);
        Assert.Equal("shopify: header X-Shopify-Topic is missing.", new ShopifyWebhooks().Parse(request with { Headers = headers }).Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{\"id\": {\"nested\": true}, \"updated_at\": 5}")]
    [InlineData("{\"id\": 1, \"updated_at\": \"yesterday\"}")]
    [InlineData("{\"id\": 1, \"updated_at\": \"2025-01-01T00:00:00Z\", \"refunds\": {\"not\": \"an array\"}, \"total_price_set\": []}")]
    public void CallerGarbage_NeverThrows(string body)
    {
        foreach (var topic in ShopifyWebhooks.Topics)
        {
            var result = new ShopifyWebhooks().Parse(Fixture.Shopify(topic, Fixture.Utf8(body)));
            Assert.NotNull(result.ToString());
        }
    }

    [Fact]
    public void RefundsCreate_WithTransactionsOnly_KeepsTheTransactionCurrency()
    {
        const string body = """
            {"id": 77, "order_id": 5, "created_at": "2025-03-15T10:00:01+01:00", "processed_at": "2025-03-15T10:00:01+01:00",
             "refund_line_items": [], "order_adjustments": [],
             "transactions": [{"id": 1, "kind": "refund", "status": "success", "amount": "12.00", "currency": "USD"}]}
            """;
        var webhook = new ShopifyWebhooks().Parse(Fixture.Shopify("refunds/create", Fixture.Utf8(body))).Webhook!;
        Assert.Equal((12.00m, "USD"), (webhook.Activities[0].Order!.Refunded, webhook.Activities[0].Order!.Currency));
        Assert.Empty(webhook.Warnings);
    }

    [Fact]
    public void OrderRefund_InPresentmentCurrencyWithoutOrderRate_WarnsAndKeepsTheAmount()
    {
        const string body = """
            {"id": 5, "currency": "EUR", "updated_at": "2025-03-15T10:00:05+01:00", "total_price": "50.00",
             "refunds": [{"id": 77, "processed_at": "2025-03-15T10:00:01+01:00",
                          "transactions": [{"kind": "refund", "status": "success", "amount": "12.00", "currency": "USD"}]}]}
            """;
        var webhook = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/updated", Fixture.Utf8(body))).Webhook!;
        Assert.Equal(12.00m, webhook.Activities[0].Order!.Refunded);
        Assert.Equal("refund 77: a transaction in USD has no shop-money amount and no rate to convert it; taken unconverted.", Assert.Single(webhook.Warnings));
    }
}
