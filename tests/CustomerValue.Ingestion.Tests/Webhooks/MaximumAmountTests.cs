using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.Events;
using CustomerValue.Ingestion.Webhooks.Shopify;
using CustomerValue.Ingestion.Webhooks.WooCommerce;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class MaximumAmountTests
{
    private const string DecimalMax = "79228162514264337593543950335";

    private static WebhookParseResult Shopify(string fields) => new ShopifyWebhooks().Parse(Fixture.Shopify(
        "orders/create", Fixture.Utf8($$"""{"id": 5, "currency": "EUR", "updated_at": "2025-03-15T10:00:05+01:00", {{fields}}}""")));

    private static WebhookParseResult Woo(string fields) => new WooCommerceWebhooks().Parse(Fixture.Woo(
        "order.created", Fixture.Utf8($$"""{"id": 1, "date_modified_gmt": "2025-01-01T00:00:00", "currency": "EUR", {{fields}}}""")));

    private static WebhookParseResult Event(string data) => new SignedEventWebhooks().Parse(Fixture.Event(Fixture.Utf8(
        $$$"""{"type":"order","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"email":"a@example.com"},"data":{"orderId":"1","currency":"EUR",{{{data}}}}}""")));

    [Fact]
    public void TheMaximum_IsOneBillionInTheOrdersCurrency() => Assert.Equal(1_000_000_000m, OrderAmounts.MaxPerOrder);

    [Theory]
    [InlineData($"\"total_price\": \"{DecimalMax}\"", "field 'total_price'")]
    [InlineData($"\"total_price\": {DecimalMax}", "field 'total_price'")]
    [InlineData("\"total_price\": \"1000000000.01\"", "field 'total_price'")]
    [InlineData($"\"total_price_set\": {{\"shop_money\": {{\"amount\": \"{DecimalMax}\"}}}}", "field 'total_price_set.shop_money.amount'")]
    [InlineData($"\"total_tax\": \"{DecimalMax}\"", "field 'total_tax'")]
    [InlineData("\"shipping_lines\": [{\"price\": \"600000000\"}, {\"price\": \"600000000\"}]", "the sum of 'shipping_lines'")]
    [InlineData($"\"refunds\": [{{\"id\": 1, \"transactions\": [{{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"{DecimalMax}\"}}]}}]", "field 'refunds[].transactions[].amount'")]
    [InlineData("\"refunds\": [{\"id\": 1, \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"600000000\"}, {\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"600000000\"}]}]", "refund '1'")]
    [InlineData("\"refunds\": [{\"id\": 1, \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"600000000\"}]}, {\"id\": 2, \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"600000000\"}]}]", "the sum of 'refunds'")]
    public void Shopify_AmountAboveTheMaximum_Fails(string fields, string what) =>
        Assert.Equal($"shopify orders/create: {what} is more than 1,000,000,000, the most one order may carry.", Shopify(fields).Error);

    [Fact]
    public void Shopify_AmountAtTheMaximum_IsRead() =>
        Assert.Equal(1_000_000_000m, Shopify("\"total_price\": \"1000000000.00\"").Webhook!.Activities[0].Order!.Gross);

    [Fact]
    public void Shopify_PriceSetImplyingAnAbsurdRate_FailsInsteadOfOverflowing()
    {
        const string Fields = """
            "total_price_set": {"shop_money": {"amount": "1000"}, "presentment_money": {"amount": "0.0000000000000000000000001"}},
            "refunds": [{"id": 1, "transactions": [{"kind": "refund", "status": "success", "amount": "5", "currency": "USD"}]}]
            """;
        Assert.Equal("shopify orders/create: 'total_price_set' implies no exchange rate between 1:10,000,000 and 10,000,000:1.", Shopify(Fields).Error);
    }

    [Theory]
    [InlineData($"\"total\": \"{DecimalMax}\"", "field 'total'")]
    [InlineData($"\"total\": \"10\", \"refunds\": [{{\"id\": 3, \"total\": \"-{DecimalMax}\"}}]", "field 'refunds[].total'")]
    [InlineData("\"total\": \"10\", \"refunds\": [{\"id\": 3, \"total\": \"-600000000\"}, {\"id\": 4, \"total\": \"-600000000\"}]", "the sum of 'refunds'")]
    [InlineData($"\"total\": \"10\", \"shipping_total\": \"{DecimalMax}\"", "field 'shipping_total'")]
    public void WooCommerce_AmountAboveTheMaximum_Fails(string fields, string what) =>
        Assert.Equal($"woocommerce order.created: {what} is more than 1,000,000,000, the most one order may carry.", Woo(fields).Error);

    [Theory]
    [InlineData("\"total\": \"10\", \"total_tax\": \"abc\"", "woocommerce order.created: field 'total_tax' is not an amount")]
    [InlineData("\"total\": \"-10\"", "woocommerce order.created: field 'total' must not be negative.")]
    public void WooCommerce_UnreadableOrNegativeAmount_Fails(string fields, string expectedStart) =>
        Assert.StartsWith(expectedStart, Woo(fields).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData($"\"gross\": {DecimalMax}", "field 'data.gross'")]
    [InlineData("\"gross\": \"1000000001\"", "field 'data.gross'")]
    [InlineData($"\"gross\": 1, \"tax\": \"{DecimalMax}\"", "field 'data.tax'")]
    public void Events_AmountAboveTheMaximum_Fails(string data, string what) =>
        Assert.Equal($"events order: {what} is more than 1,000,000,000, the most one order may carry.", Event(data).Error);

    [Fact]
    public void Events_UnreadableOptionalAmount_FailsInsteadOfCountingZero() =>
        Assert.StartsWith("events order: field 'data.shipping' is not an amount", Event("\"gross\": 1, \"shipping\": \"free\"").Error, StringComparison.Ordinal);
}
