using System.Globalization;
using System.Text.Json.Nodes;

namespace CustomerValue.Cli.Demo;

/// <summary>One webhook delivery the demo sends, as Shopify would send it.</summary>
/// <param name="Topic">The <c>X-Shopify-Topic</c>.</param>
/// <param name="WebhookId">The <c>X-Shopify-Webhook-Id</c>; a retry repeats it.</param>
/// <param name="Body">The JSON body.</param>
/// <param name="SentAt">When Shopify would have sent it.</param>
public sealed record ShopifyDelivery(string Topic, string WebhookId, string Body, DateTimeOffset SentAt);

/// <summary>
/// Writes the Shopify order webhooks for a person's online purchases, shaped like the Admin REST API payloads
/// (price sets with shop and presentment money, customer, client details, landing site with UTM parameters,
/// refunds with transactions). Like the real platform it sends <c>orders/create</c> and <c>orders/paid</c> for
/// one order, <c>orders/updated</c> after a refund, <c>orders/cancelled</c>, and now and then the same delivery
/// twice (a retry).
/// </summary>
public static class ShopifyOrderWebhooks
{
    /// <summary>The demo shop's domain.</summary>
    public const string ShopDomain = "demo-outfitters.myshopify.com";

    /// <summary>All deliveries for a person's online purchases.</summary>
    public static IEnumerable<ShopifyDelivery> For(DemoPerson person, Random random)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(random);
        var online = person.Purchases.Select((p, i) => (Purchase: p, Number: i)).Where(p => !p.Purchase.InStore).ToList();
        foreach (var (purchase, number) in online)
        {
            var orderId = 5_000_000_000L + (person.Index * 100L) + number;
            var isFirst = number == 0;
            var created = Order(person, purchase, orderId, isFirst, purchase.At, refunded: false, cancelled: false, random);
            var create = Delivery("orders/create", created, purchase.At, random);
            yield return create;
            if (random.NextDouble() < 0.05)
            {
                // Shopify did not get our 200 in time and retried the very same delivery.
                yield return create with { SentAt = create.SentAt.AddSeconds(30) };
            }

            yield return Delivery("orders/paid", created, purchase.At.AddSeconds(5), random);
            if (purchase.Cancelled)
            {
                var cancelledAt = purchase.At.AddHours(random.Next(1, 30));
                yield return Delivery("orders/cancelled", Order(person, purchase, orderId, isFirst, cancelledAt, refunded: false, cancelled: true, random), cancelledAt, random);
            }
            else if (purchase.Returned > 0m)
            {
                yield return Delivery("orders/updated", Order(person, purchase, orderId, isFirst, purchase.ReturnedAt, refunded: true, cancelled: false, random), purchase.ReturnedAt, random);
            }
        }
    }

    private static ShopifyDelivery Delivery(string topic, JsonObject order, DateTimeOffset sentAt, Random random)
    {
        var id = new byte[16];
        random.NextBytes(id);
        return new ShopifyDelivery(topic, new Guid(id).ToString("D"), order.ToJsonString(), sentAt);
    }

    private static JsonObject Order(DemoPerson person, DemoPurchase purchase, long orderId, bool isFirst, DateTimeOffset updatedAt, bool refunded, bool cancelled, Random random)
    {
        var total = purchase.Amount;
        var tax = decimal.Round(total * 0.08m / 1.08m, 2);
        var shipping = total < 50m ? 4.95m : 0m;
        var refundAmount = refunded ? decimal.Round(total * purchase.Returned, 2) : 0m;
        var email = random.NextDouble() < 0.1 ? Capitalized(person.Email) : person.Email;
        var order = new JsonObject
        {
            ["id"] = orderId,
            ["admin_graphql_api_id"] = $"gid://shopify/Order/{orderId}",
            ["name"] = $"#{orderId % 1_000_000}",
            ["email"] = email,
            ["created_at"] = Time(purchase.At),
            ["processed_at"] = Time(purchase.At),
            ["updated_at"] = Time(updatedAt),
            ["cancelled_at"] = cancelled ? Time(updatedAt) : null,
            ["cancel_reason"] = cancelled ? "customer" : null,
            ["currency"] = "USD",
            ["presentment_currency"] = "USD",
            ["financial_status"] = cancelled ? "voided" : refunded ? (purchase.Returned >= 1m ? "refunded" : "partially_refunded") : "paid",
            ["total_price"] = Money(total),
            ["subtotal_price"] = Money(total - tax - shipping),
            ["total_tax"] = Money(tax),
            ["total_discounts"] = "0.00",
            ["current_total_price"] = Money(total - refundAmount),
            ["total_price_set"] = PriceSet(total),
            ["current_total_price_set"] = PriceSet(total - refundAmount),
            ["total_tax_set"] = PriceSet(tax),
            ["total_discounts_set"] = PriceSet(0m),
            ["total_shipping_price_set"] = PriceSet(shipping),
            ["source_name"] = purchase.ViaApp ? "iphone" : "web",
            ["landing_site"] = isFirst ? LandingSite(person.AcquisitionChannel) : "/",
            ["referring_site"] = isFirst && person.AcquisitionChannel.StartsWith("google", StringComparison.Ordinal) ? "https://www.google.com/" : string.Empty,
            ["client_details"] = new JsonObject
            {
                ["browser_ip"] = "203.0.113.7",
                ["user_agent"] = purchase.ViaApp
                    ? "DemoOutfitters/4.2 (iPhone; iOS 18.1; Scale/3.00)"
                    : random.NextDouble() < 0.55
                        ? "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
                        : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            },
            ["customer"] = new JsonObject
            {
                ["id"] = person.ShopifyCustomerId,
                ["email"] = email,
                ["phone"] = random.NextDouble() < 0.5 ? person.Phone : null,
                ["first_name"] = person.FirstName,
                ["last_name"] = person.LastName,
                ["created_at"] = Time(purchase.At),
                ["updated_at"] = Time(updatedAt),
                ["currency"] = "USD",
            },
            ["billing_address"] = new JsonObject
            {
                ["first_name"] = person.FirstName,
                ["last_name"] = person.LastName,
                ["phone"] = person.Phone,
                ["country_code"] = "US",
            },
            ["refunds"] = new JsonArray(),
        };
        if (refunded)
        {
            var refundId = 9_000_000_000L + orderId;
            order["refunds"]!.AsArray().Add(new JsonObject
            {
                ["id"] = refundId,
                ["order_id"] = orderId,
                ["created_at"] = Time(updatedAt),
                ["processed_at"] = Time(updatedAt),
                ["transactions"] = new JsonArray(new JsonObject
                {
                    ["id"] = refundId + 1,
                    ["kind"] = "refund",
                    ["status"] = "success",
                    ["amount"] = Money(refundAmount),
                    ["currency"] = "USD",
                }),
            });
        }

        return order;
    }

    private static string LandingSite(string acquisitionChannel)
    {
        var parts = acquisitionChannel.Split('/');
        return parts[0] == "direct" ? "/" : $"/collections/new?utm_source={parts[0]}&utm_medium={parts[1]}&utm_campaign=demo";
    }

    private static JsonObject PriceSet(decimal amount) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = "USD" },
        ["presentment_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = "USD" },
    };

    private static string Capitalized(string email) => char.ToUpperInvariant(email[0]) + email[1..];

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
