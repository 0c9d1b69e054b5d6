using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Shopify;

/// <summary>Reads Shopify order payloads (<c>orders/*</c>) and refund payloads (<c>refunds/create</c>).</summary>
internal static class ShopifyOrders
{
    /// <summary>One order version: the order record plus who placed it.</summary>
    public static CustomerActivity ReadOrder(ShopifyShop shop, JsonElement order, string context, List<string> warnings)
    {
        var id = order.RequiredString("id", context);
        var createdAt = order.Timestamp("created_at");
        var versionAt = order.Timestamp("updated_at") ?? createdAt ?? order.RequiredTimestamp("updated_at", context);

        // processed_at is the date Shopify's own reports use; for orders imported from elsewhere it holds the
        // original purchase date while created_at is the import time.
        var placedAt = order.Timestamp("processed_at") ?? createdAt ?? versionAt;
        var currency = ShopifyMoney.ShopCurrency(order) ?? throw new PayloadException($"{context}: required field 'currency' is missing.");
        var rate = ShopifyMoney.Rate(order, "total_price_set", context);

        var refunds = new List<OrderRefund>();
        foreach (var refund in order.Array("refunds"))
        {
            var refundId = refund.String("id") ?? $"{id}-{refunds.Count + 1}";
            var amount = ShopifyMoney.RefundAmount(refund, currency, rate, warnings, refundId, context, "refunds[].");
            refunds.Add(new OrderRefund(refundId, amount, refund.Timestamp("processed_at") ?? refund.Timestamp("created_at") ?? versionAt));
        }

        var refunded = refunds.Sum(r => r.Amount);
        if (!OrderAmounts.IsWithinLimit(refunded))
        {
            throw new PayloadException(JsonFields.TooLarge(context, "the sum of 'refunds'"));
        }

        var sourceName = order.String("source_name")?.ToLowerInvariant();
        var userAgent = order.Object("client_details")?.String("user_agent");
        if (order.Boolean("test") == true)
        {
            warnings.Add($"order {id} is a test order.");
        }

        var record = new OrderRecord
        {
            OrderKey = shop.OrderKey(id),
            PlacedAt = placedAt,
            VersionAt = versionAt,

            // What was charged at checkout. current_total_price is not used: Shopify lowers it when items are
            // refunded, and the refunds are subtracted again through Refunded, which would count them twice.
            Gross = ShopifyMoney.Shop(order, "total_price_set", "total_price", context) ?? 0m,
            Discounts = ShopifyMoney.Shop(order, "total_discounts_set", "total_discounts", context) ?? 0m,
            Tax = ShopifyMoney.Shop(order, "total_tax_set", "total_tax", context) ?? 0m,
            Shipping = ShopifyMoney.Shop(order, "total_shipping_price_set", null, context) ?? ShippingLines(order, context),
            Refunded = refunded,
            Refunds = refunds,
            Currency = currency.ToUpperInvariant(),
            Channel = Channel(sourceName),
            Device = TrafficSource.DeviceFromUserAgent(userAgent) ?? DeviceFromSource(sourceName),
            Cancelled = order.Timestamp("cancelled_at") is not null,
            AcquisitionChannel = TrafficSource.FromUtm(order.String("landing_site"))
                ?? TrafficSource.FromReferrer(order.String("referring_site"), shop.Domain)
                ?? AcquisitionFromSource(sourceName),
            StoreId = sourceName == "pos" ? order.String("location_id") : null,
        };

        var customer = order.Object("customer");
        var billing = order.Object("billing_address");
        var identities = new IdentityBuilder()
            .SourceId(shop.CustomerScope, customer?.String("id"))
            .Email(customer?.String("email"))
            .Email(order.String("email"))
            .Email(order.String("contact_email"))
            .Phone(customer?.String("phone"))
            .Phone(order.String("phone"))
            .Phone(billing?.String("phone"))
            .Build();

        return new CustomerActivity
        {
            Identities = identities,
            FirstName = customer?.String("first_name") ?? billing?.String("first_name"),
            LastName = customer?.String("last_name") ?? billing?.String("last_name"),
            Order = record,
            OccurredAt = versionAt,
            Consents = customer is { } c ? ShopifyCustomers.Consents(c) : null,
        };
    }

    /// <summary>
    /// A <c>refunds/create</c> payload: a refund-only record for the order, carrying the refund id so that the same
    /// refund seen again (a retry, or inside a later <c>orders/updated</c>) is not counted twice.
    /// The payload names no customer; identity resolution finds the profile through the order key.
    /// </summary>
    public static CustomerActivity ReadRefund(ShopifyShop shop, JsonElement refund, string context, List<string> warnings)
    {
        var refundId = refund.RequiredString("id", context);
        var orderId = refund.RequiredString("order_id", context);
        var refundedAt = refund.Timestamp("processed_at") ?? refund.RequiredTimestamp("created_at", context);
        var shopCurrency = ShopifyMoney.RefundShopCurrency(refund)
            ?? refund.Array("transactions").Select(t => t.String("currency")).FirstOrDefault(c => c is not null)
            ?? throw new PayloadException($"{context}: no currency found in 'refund_line_items', 'order_adjustments' or 'transactions'.");
        var amount = ShopifyMoney.RefundAmount(refund, shopCurrency, null, warnings, refundId, context);

        var record = new OrderRecord
        {
            OrderKey = shop.OrderKey(orderId),
            Kind = OrderKind.Return,
            IsRefundOnly = true,
            PlacedAt = refundedAt,
            VersionAt = refundedAt,
            Refunded = amount,
            Refunds = [new OrderRefund(refundId, amount, refundedAt)],
            Currency = shopCurrency.ToUpperInvariant(),
        };
        return new CustomerActivity { Identities = new RawIdentities(), Order = record, OccurredAt = refundedAt };
    }

    private static decimal ShippingLines(JsonElement order, string context)
    {
        var shipping = order.Array("shipping_lines").Sum(l => ShopifyMoney.Shop(l, "price_set", "price", context, "shipping_lines[].") ?? 0m);
        return OrderAmounts.IsWithinLimit(shipping) ? shipping : throw new PayloadException(JsonFields.TooLarge(context, "the sum of 'shipping_lines'"));
    }

    // source_name is "web" for the online store, "pos" for Shopify POS, "iphone"/"android" for Shopify's mobile
    // apps, "shopify_draft_order" for draft orders, or a sales-channel app's id or handle.
    private static SalesChannel Channel(string? sourceName) => sourceName switch
    {
        "pos" => SalesChannel.Store,
        "iphone" or "android" or "ios" => SalesChannel.App,
        { } name when name.Contains("app", StringComparison.Ordinal) || name.Contains("mobile", StringComparison.Ordinal) => SalesChannel.App,
        _ => SalesChannel.Online,
    };

    private static string? DeviceFromSource(string? sourceName) => sourceName switch
    {
        "pos" => "pos",
        "iphone" or "android" or "ios" => "mobile",
        _ => null,
    };

    private static string? AcquisitionFromSource(string? sourceName) => sourceName switch
    {
        null => null,
        "web" => "direct/none",
        "pos" => "store/pos",
        _ => $"{sourceName}/none",
    };
}
