using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.WooCommerce;

/// <summary>Reads <c>customer.created</c> / <c>customer.updated</c>: identities and names, no order.</summary>
internal static class WooCommerceCustomers
{
    public static CustomerActivity Read(string site, JsonElement customer, string context)
    {
        var id = customer.RequiredString("id", context);
        var occurredAt = customer.Timestamp("date_modified_gmt") ?? customer.Timestamp("date_created_gmt")
            ?? customer.Timestamp("date_modified") ?? customer.RequiredTimestamp("date_created", context);
        var billing = customer.Object("billing");
        return new CustomerActivity
        {
            Identities = new IdentityBuilder()
                .SourceId($"woocommerce:{site}", id)
                .Email(customer.String("email"))
                .Email(billing?.String("email"))
                .Phone(billing?.String("phone"))
                .Phone(customer.Object("shipping")?.String("phone"))
                .Build(),
            FirstName = customer.String("first_name") ?? billing?.String("first_name"),
            LastName = customer.String("last_name") ?? billing?.String("last_name"),
            OccurredAt = occurredAt,
        };
    }
}
