using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class WebhookRegistryTests
{
    [Theory]
    [InlineData("shopify")]
    [InlineData("WooCommerce")]
    [InlineData("EVENTS")]
    public void TryGet_IgnoresCase(string name)
    {
        Assert.True(WebhookPlatforms.Default.TryGet(name, out var platform));
        Assert.Equal(name.ToLowerInvariant(), platform.Name);
    }

    [Fact]
    public void TryGet_UnknownName_ReturnsFalse_AndNamesListsTheKnownOnes()
    {
        Assert.False(WebhookPlatforms.Default.TryGet("magento", out _));
        Assert.Equal(["events", "shopify", "woocommerce"], WebhookPlatforms.Default.Names);
    }

    [Fact]
    public void Resolve_PrefersTheSourcesOverride_IgnoringCase_ElseTheDefault()
    {
        var secret = new WebhookSecret { Secret = "default", Sources = new Dictionary<string, string> { ["Shop-A.myshopify.com"] = "a" } };
        Assert.Equal("a", secret.Resolve("shop-a.myshopify.com"));
        Assert.Equal("default", secret.Resolve("shop-b.myshopify.com"));
        Assert.Equal("default", secret.Resolve(null));
        Assert.Null(new WebhookSecret().Resolve("shop-a.myshopify.com"));
    }

    [Fact]
    public void Request_HeaderLookup_IgnoresCase_EvenWhenTheCallersMapDoesNot()
    {
        var request = new WebhookRequest("shopify", new Dictionary<string, string> { ["x-shopify-topic"] = " orders/create " }, Array.Empty<byte>(), Fixture.Now);
        Assert.Equal("orders/create", request.Header("X-Shopify-Topic"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\": [], \"type\": 5, \"customer\": \"x\", \"data\": 1}")]
    [InlineData("{\"type\": \"order\", \"id\": 1, \"occurredAt\": 99999999999999, \"source\": \"s\", \"customer\": {\"email\": \"a@b\"}, \"data\": {\"orderId\": {}, \"currency\": [], \"gross\": \"1e400\"}}")]
    [InlineData("{\"refunds\": [1, \"a\", null], \"meta_data\": {\"key\": 1}, \"billing\": [], \"id\": true}")]
    public void EveryPlatform_NeverThrowsForCallerData(string body)
    {
        var bytes = Fixture.Utf8(body);
        foreach (var topic in new[] { "order.created", "order.deleted", "customer.updated" })
        {
            Assert.NotNull(new CustomerValue.Ingestion.Webhooks.WooCommerce.WooCommerceWebhooks().Parse(Fixture.Woo(topic, bytes)).ToString());
        }

        Assert.NotNull(new CustomerValue.Ingestion.Webhooks.Events.SignedEventWebhooks().Parse(Fixture.Event(bytes)).ToString());
        Assert.False(new CustomerValue.Ingestion.Webhooks.Events.SignedEventWebhooks().Verify(Fixture.Event(bytes, "whsec_QUJDREVGR0hJSktMTU5PUA=="), Fixture.Secrets) == SignatureCheck.Valid);
    }
}
