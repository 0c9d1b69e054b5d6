using System.Text.Json;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Shopify;

/// <summary>
/// The mandatory compliance topics. <c>customers/data_request</c> and <c>customers/redact</c> carry
/// <c>customer {id, email, phone}</c> and the orders concerned (<c>orders_requested</c> / <c>orders_to_redact</c>);
/// <c>shop/redact</c> carries only the shop.
/// </summary>
internal static class ShopifyPrivacy
{
    public static PrivacyRequest Read(ShopifyShop headerShop, string topic, JsonElement payload)
    {
        var shop = payload.String("shop_domain") is { } domain ? new ShopifyShop(domain) : headerShop;
        var customer = payload.Object("customer");
        var identities = new IdentityBuilder()
            .SourceId(shop.CustomerScope, customer?.String("id"))
            .Email(customer?.String("email"))
            .Phone(customer?.String("phone"))
            .Build();
        var orders = payload.Array(topic == "customers/data_request" ? "orders_requested" : "orders_to_redact")
            .Select(o => o.ValueKind is JsonValueKind.Number or JsonValueKind.String ? o.ToString() : null)
            .Where(o => !string.IsNullOrWhiteSpace(o))
            .Select(o => shop.OrderKey(o!))
            .ToList();

        return new PrivacyRequest
        {
            Kind = topic switch
            {
                "customers/data_request" => PrivacyRequestKind.DataRequest,
                "customers/redact" => PrivacyRequestKind.RedactCustomer,
                _ => PrivacyRequestKind.RedactShop,
            },
            Source = shop.Domain,
            KeyPrefix = shop.CustomerScope + ":",
            RequestId = payload.Object("data_request")?.String("id"),
            SourceCustomerIds = identities.SourceCustomerIds,
            Emails = identities.Emails,
            Phones = identities.Phones,
            OrderKeys = orders,
        };
    }
}
