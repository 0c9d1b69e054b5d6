using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.WooCommerce;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class WooCommerceWebhooksTests
{
    private static ParsedWebhook Parse(string topic, string fixture, string source = Fixture.WooSource)
    {
        var result = new WooCommerceWebhooks().Parse(Fixture.Woo(topic, Fixture.Bytes(fixture), source: source));
        Assert.True(result.Succeeded, result.Error);
        return result.Webhook;
    }

    [Fact]
    public void OrderCreated_ReadsAmountsTimesAndAttribution()
    {
        var webhook = Parse("order.created", "WooCommerce/order-created.json");
        Assert.Equal("shop.example.org", webhook.Source);
        Assert.Equal("9d2c4b7e0f5d4c1a8e6b", webhook.DeliveryId);
        var activity = Assert.Single(webhook.Activities);
        var order = activity.Order!;
        Assert.Equal("woocommerce:shop.example.org:order:727", order.OrderKey);
        Assert.Equal(49.95m, order.Gross);
        Assert.Equal(5.00m, order.Discounts);
        Assert.Equal(7.98m, order.Tax);
        Assert.Equal(4.20m, order.Shipping);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal(new DateTimeOffset(2025, 2, 3, 10, 20, 44, TimeSpan.Zero), order.VersionAt);
        Assert.Equal(new DateTimeOffset(2025, 2, 3, 10, 20, 41, TimeSpan.Zero), order.PlacedAt);
        Assert.Equal("newsletter/email", order.AcquisitionChannel);
        Assert.Equal("desktop", order.Device);
        Assert.Equal(SalesChannel.Online, order.Channel);
        Assert.False(order.Cancelled);

        Assert.Equal(["woocommerce:shop.example.org:31"], activity.Identities.SourceCustomerIds);
        Assert.Equal(["erika.mustermann@example.org"], activity.Identities.Emails);
        Assert.Equal(["030 1234567"], activity.Identities.Phones);
        Assert.Equal(("Erika", "Mustermann"), (activity.FirstName, activity.LastName));
    }

    [Fact]
    public void OrderUpdated_RefundsWithNegativeTotals_AddUpWithTheirIds()
    {
        var order = Assert.Single(Parse("order.updated", "WooCommerce/order-updated-partially-refunded.json").Activities).Order!;
        Assert.Equal(12.50m, order.Refunded);
        Assert.Equal(["731", "733"], order.Refunds!.Select(r => r.RefundId));
        Assert.Equal(new DateTimeOffset(2025, 2, 10, 8, 0, 0, TimeSpan.Zero), order.VersionAt);
    }

    [Theory]
    [InlineData("cancelled", true)]
    [InlineData("failed", true)]
    [InlineData("processing", false)]
    [InlineData("refunded", false)]
    public void OrderStatus_DecidesCancelled(string status, bool cancelled)
    {
        var body = Fixture.Utf8(System.Text.Encoding.UTF8.GetString(Fixture.Bytes("WooCommerce/order-created.json"))
            .Replace("\"status\": \"processing\"", $"\"status\": \"{status}\"", StringComparison.Ordinal));
        var result = new WooCommerceWebhooks().Parse(Fixture.Woo("order.updated", body));
        var order = Assert.Single(result.Webhook!.Activities).Order!;
        Assert.Equal(cancelled, order.Cancelled);
        if (status == "refunded")
        {
            Assert.Equal(order.Gross, order.Refunded);
        }
    }

    [Fact]
    public void OrderDeleted_CarriesOnlyTheOrderKey()
    {
        var webhook = Parse("order.deleted", "WooCommerce/order-deleted.json");
        Assert.Empty(webhook.Activities);
        Assert.Equal(["woocommerce:shop.example.org:order:727"], webhook.DeletedOrderKeys);
    }

    [Fact]
    public void CustomerCreated_ReadsIdentitiesWithoutOrder()
    {
        var activity = Assert.Single(Parse("customer.created", "WooCommerce/customer-created.json").Activities);
        Assert.Null(activity.Order);
        Assert.Equal(["woocommerce:shop.example.org:31"], activity.Identities.SourceCustomerIds);
        Assert.Equal(new DateTimeOffset(2025, 2, 3, 10, 18, 2, TimeSpan.Zero), activity.OccurredAt);
    }

    [Fact]
    public void Ping_WithoutHeaders_IsAPing()
    {
        var request = WebhookRequest.Create("woocommerce", [], Fixture.Utf8("webhook_id=12"), Fixture.Now);
        var result = new WooCommerceWebhooks().Parse(request);
        Assert.True(result.Succeeded, result.Error);
        Assert.True(result.Webhook.IsPing);
        Assert.Empty(result.Webhook.Activities);
        Assert.Equal("ping:12", result.Webhook.DeliveryId);
    }

    [Fact]
    public void SiteInSubfolder_KeepsThePathInTheKey() =>
        Assert.Equal("example.com/shop", WooCommerceWebhooks.SiteKey("https://Example.com/shop/"));

    [Fact]
    public void MissingSourceHeader_Fails()
    {
        var request = Fixture.Woo("order.created", Fixture.Bytes("WooCommerce/order-created.json"));
        var headers = request.Headers.Where(h => h.Key != "x-wc-webhook-source").ToDictionary(StringComparer.OrdinalIgnoreCase);
        Assert.Equal("woocommerce: header X-WC-Webhook-Source is missing or not a URL.", new WooCommerceWebhooks().Parse(request with { Headers = headers }).Error);
    }

    [Fact]
    public void OrderWithoutTotal_FailsNamingTheField()
    {
        var result = new WooCommerceWebhooks().Parse(Fixture.Woo("order.created", Fixture.Utf8("{\"id\":1,\"date_modified_gmt\":\"2025-01-01T00:00:00\",\"currency\":\"EUR\"}")));
        Assert.Equal("woocommerce order.created: required field 'total' is missing or not a number.", result.Error);
    }
}
