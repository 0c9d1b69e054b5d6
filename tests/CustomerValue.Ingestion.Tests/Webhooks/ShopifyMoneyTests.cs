using CustomerValue.Ingestion.Webhooks.Shopify;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class ShopifyMoneyTests
{
    private const string Order = """{"id": 5, "currency": "EUR", "updated_at": "2025-03-15T10:00:05+01:00", FIELD}""";

    [Theory]
    [InlineData("\"total_price\": \"abc\"", "total_price")]
    [InlineData("\"total_price\": \"NaN\"", "total_price")]
    [InlineData("\"total_price\": 1e400", "total_price")]
    [InlineData("\"total_price\": \"1e30\"", "total_price")]
    [InlineData("\"total_price\": true", "total_price")]
    [InlineData("\"total_price\": {}", "total_price")]
    [InlineData("\"total_price\": [1]", "total_price")]
    [InlineData("\"total_price\": \"1,234.00\"", "total_price")]
    [InlineData("\"total_price_set\": {\"shop_money\": {\"amount\": \"abc\", \"currency_code\": \"EUR\"}}", "total_price_set.shop_money.amount")]
    [InlineData("\"total_price_set\": {\"shop_money\": {\"amount\": \"10.00\"}, \"presentment_money\": {\"amount\": false}}", "total_price_set.presentment_money.amount")]
    [InlineData("\"total_discounts_set\": {\"shop_money\": {\"amount\": {}}}", "total_discounts_set.shop_money.amount")]
    [InlineData("\"total_tax\": \"Infinity\"", "total_tax")]
    [InlineData("\"total_shipping_price_set\": {\"shop_money\": {\"amount\": \"x\"}}", "total_shipping_price_set.shop_money.amount")]
    [InlineData("\"shipping_lines\": [{\"price\": \"4,60\"}]", "shipping_lines[].price")]
    [InlineData("\"shipping_lines\": [{\"price_set\": {\"shop_money\": {\"amount\": null}}, \"price\": \"abc\"}]", "shipping_lines[].price")]
    [InlineData("\"refunds\": [{\"id\": 1, \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"NaN\"}]}]", "refunds[].transactions[].amount")]
    [InlineData("\"refunds\": [{\"id\": 1, \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount_set\": {\"shop_money\": {\"amount\": true}}}]}]", "refunds[].transactions[].amount_set.shop_money.amount")]
    [InlineData("\"refunds\": [{\"id\": 1, \"refund_line_items\": [{\"subtotal_set\": {\"shop_money\": {\"amount\": \"1\"}, \"presentment_money\": {\"amount\": \"?\"}}}]}]", "refunds[].refund_line_items[].subtotal_set.presentment_money.amount")]
    [InlineData("\"refunds\": [{\"id\": 1, \"order_adjustments\": [{\"amount_set\": {\"shop_money\": {\"amount\": []}}}]}]", "refunds[].order_adjustments[].amount_set.shop_money.amount")]
    public void UnreadableMoney_FailsNamingTheField_InsteadOfCountingZero(string field, string path)
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/create", Fixture.Utf8(Order.Replace("FIELD", field, StringComparison.Ordinal))));
        Assert.False(result.Succeeded);
        Assert.Equal($"shopify orders/create: field '{path}' is not an amount (a number or a numeric string such as \"12.50\").", result.Error);
    }

    [Theory]
    [InlineData("\"total_price\": \"-50.00\"", "total_price")]
    [InlineData("\"total_price_set\": {\"shop_money\": {\"amount\": -1, \"currency_code\": \"EUR\"}}", "total_price_set.shop_money.amount")]
    [InlineData("\"total_discounts\": \"-1\"", "total_discounts")]
    [InlineData("\"total_tax_set\": {\"shop_money\": {\"amount\": \"-0.01\"}}", "total_tax_set.shop_money.amount")]
    [InlineData("\"shipping_lines\": [{\"price\": \"-4.60\"}]", "shipping_lines[].price")]
    [InlineData("\"refunds\": [{\"id\": 1, \"transactions\": [{\"kind\": \"refund\", \"status\": \"success\", \"amount\": \"-12.00\"}]}]", "refunds[].transactions[].amount")]
    public void NegativeMoney_FailsNamingTheField(string field, string path)
    {
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/updated", Fixture.Utf8(Order.Replace("FIELD", field, StringComparison.Ordinal))));
        Assert.Equal($"shopify orders/updated: field '{path}' must not be negative.", result.Error);
    }

    [Fact]
    public void RefundsCreate_UnreadableTransactionAmount_FailsNamingTheField()
    {
        const string Body = """
            {"id": 77, "order_id": 5, "created_at": "2025-03-15T10:00:01+01:00",
             "transactions": [{"kind": "refund", "status": "success", "amount": "twelve", "currency": "USD"}]}
            """;
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("refunds/create", Fixture.Utf8(Body)));
        Assert.Equal("shopify refunds/create: field 'transactions[].amount' is not an amount (a number or a numeric string such as \"12.50\").", result.Error);
    }

    [Fact]
    public void MoneyAsNumbersAndNullFields_AreStillRead()
    {
        var body = Order.Replace("FIELD", "\"total_price\": 12.5, \"total_tax\": null, \"total_discounts\": \"\"", StringComparison.Ordinal);
        var result = new ShopifyWebhooks().Parse(Fixture.Shopify("orders/create", Fixture.Utf8(body)));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((12.5m, 0m, 0m), (result.Webhook.Activities[0].Order!.Gross, result.Webhook.Activities[0].Order!.Tax, result.Webhook.Activities[0].Order!.Discounts));
    }
}
