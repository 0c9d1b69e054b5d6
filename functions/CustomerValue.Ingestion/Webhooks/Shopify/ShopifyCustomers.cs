using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Shopify;

/// <summary>Reads <c>customers/create</c> and <c>customers/update</c>: identities, names and marketing consent, no order.</summary>
internal static class ShopifyCustomers
{
    public static CustomerActivity Read(ShopifyShop shop, JsonElement customer, string context)
    {
        var id = customer.RequiredString("id", context);
        var occurredAt = customer.Timestamp("updated_at") ?? customer.RequiredTimestamp("created_at", context);
        var address = customer.Object("default_address");
        return new CustomerActivity
        {
            Identities = new IdentityBuilder()
                .SourceId(shop.CustomerScope, id)
                .Email(customer.String("email"))
                .Phone(customer.String("phone"))
                .Phone(address?.String("phone"))
                .Build(),
            FirstName = customer.String("first_name") ?? address?.String("first_name"),
            LastName = customer.String("last_name") ?? address?.String("last_name"),
            OccurredAt = occurredAt,
            Consents = Consents(customer),
        };
    }

    /// <summary>
    /// <c>email_marketing_consent</c> / <c>sms_marketing_consent</c>: <c>subscribed</c> grants, <c>unsubscribed</c>
    /// and <c>not_subscribed</c> withdraw; <c>pending</c>, <c>invalid</c> and <c>redacted</c> say nothing yet.
    /// </summary>
    public static IReadOnlyList<ConsentChange>? Consents(JsonElement customer)
    {
        var changes = new List<ConsentChange>();
        var fallbackAt = customer.Timestamp("updated_at") ?? customer.Timestamp("created_at");
        Add(customer.Object("email_marketing_consent"), ConsentChannel.Email);
        Add(customer.Object("sms_marketing_consent"), ConsentChannel.Sms);
        return changes.Count == 0 ? null : changes;

        void Add(JsonElement? consent, ConsentChannel channel)
        {
            if (consent is not { } c || (c.Timestamp("consent_updated_at") ?? fallbackAt) is not { } at)
            {
                return;
            }

            bool? granted = c.String("state")?.ToLowerInvariant() switch
            {
                "subscribed" => true,
                "unsubscribed" or "not_subscribed" => false,
                _ => null,
            };
            if (granted is { } g)
            {
                changes.Add(new ConsentChange(channel, g, at));
            }
        }
    }
}
