using System.Text;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.Events;
using CustomerValue.Ingestion.Webhooks.Shopify;
using CustomerValue.Ingestion.Webhooks.WooCommerce;

namespace CustomerValue.Ingestion.Tests.Webhooks;

/// <summary>Signed bodies whose strings are not valid Unicode: a 400 with a parse error, never an exception.</summary>
public sealed class InvalidTextTests
{
    // "Zo\xEB" is how Windows-1252 writes "Zoë": one byte that is no UTF-8. \ud800 is an escaped unpaired surrogate.
    private static readonly byte[] Latin1Name = [(byte)'Z', (byte)'o', 0xEB];

    public static TheoryData<string, string> Cases => new()
    {
        { "raw", "{\"id\": 5, \"updated_at\": \"2025-03-15T10:00:05Z\", \"currency\": \"EUR\", \"total_price\": \"1\", \"customer\": {\"first_name\": \"NAME\"}}" },
        { "escaped", "{\"id\": 5, \"updated_at\": \"2025-03-15T10:00:05Z\", \"currency\": \"EUR\", \"total_price\": \"1\", \"customer\": {\"first_name\": \"Zo\\ud800\"}}" },
        { "escaped-name", "{\"id\": 5, \"\\udc00\": 1, \"updated_at\": \"2025-03-15T10:00:05Z\", \"currency\": \"EUR\", \"total_price\": \"1\"}" },
        { "raw-name", "{\"id\": 5, \"NAME\": 1, \"updated_at\": \"2025-03-15T10:00:05Z\", \"currency\": \"EUR\", \"total_price\": \"1\"}" },
    };

    private static byte[] Body(string json)
    {
        var parts = json.Split("NAME");
        return parts.Length == 1
            ? Encoding.UTF8.GetBytes(json)
            : [.. Encoding.UTF8.GetBytes(parts[0]), .. Latin1Name, .. Encoding.UTF8.GetBytes(parts[1])];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Shopify_InvalidText_IsAParseFailure(string kind, string json)
    {
        foreach (var topic in ShopifyWebhooks.Topics)
        {
            var result = new ShopifyWebhooks().Parse(Fixture.Shopify(topic, Body(json)));
            Assert.False(result.Succeeded, $"{kind} {topic}");
            Assert.StartsWith($"shopify {topic}: ", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WooCommerce_InvalidText_IsAParseFailure(string kind, string json)
    {
        foreach (var topic in WooCommerceWebhooks.Topics)
        {
            var result = new WooCommerceWebhooks().Parse(Fixture.Woo(topic, Body(json)));
            Assert.False(result.Succeeded, $"{kind} {topic}");
        }
    }

    [Theory]
    [InlineData("{\"type\":\"order\",\"id\":\"e1\",\"occurredAt\":\"2025-03-14T09:00:00Z\",\"source\":\"crm\",\"customer\":{\"email\":\"a@example.com\",\"firstName\":\"NAME\"},\"data\":{\"orderId\":\"1\",\"currency\":\"EUR\",\"gross\":1}}")]
    [InlineData("{\"type\":\"order\",\"id\":\"e1\",\"occurredAt\":\"2025-03-14T09:00:00Z\",\"source\":\"crm\",\"customer\":{\"email\":\"a@example.com\",\"firstName\":\"\\ud800\"},\"data\":{\"orderId\":\"1\",\"currency\":\"EUR\",\"gross\":1}}")]
    [InlineData("{\"type\":\"nps\",\"id\":\"e1\",\"occurredAt\":\"2025-03-14T09:00:00Z\",\"source\":\"crNAME\",\"customer\":{\"email\":\"a@example.com\"},\"data\":{\"score\":1}}")]
    [InlineData("{\"type\":\"nps\",\"id\":\"e1\",\"occurredAt\":\"2025-03-14T09:00:00Z\",\"source\":\"\\udfff\",\"customer\":{\"email\":\"a@example.com\"},\"data\":{\"score\":1}}")]
    public void Events_InvalidText_IsAParseFailure_AndTheSignatureCheckDoesNotThrow(string json)
    {
        var request = Fixture.Event(Body(json));
        Assert.Equal(SignatureCheck.Valid, new SignedEventWebhooks().Verify(request, Fixture.Secrets));
        var result = new SignedEventWebhooks().Parse(request);
        Assert.False(result.Succeeded);
        Assert.StartsWith("events: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8_IsReportedByPosition_WithoutTheBytes()
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/create", Body("{\"id\": 5, \"note\": \"NAME\"}")));
        Assert.Equal("shopify orders/create: the body is not valid UTF-8 (byte 22).", result.Error);
    }

    [Fact]
    public void EscapedUnpairedSurrogate_IsReportedByPosition()
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/create", Body("{\"id\": 5,\n \"note\": \"Zo\\ud800\"}")));
        Assert.Equal("shopify orders/create: the string at byte 20 escapes an unpaired UTF-16 surrogate.", result.Error);
    }
}
