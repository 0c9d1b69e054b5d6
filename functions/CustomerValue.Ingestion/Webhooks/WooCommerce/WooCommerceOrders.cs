using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.WooCommerce;

/// <summary>Reads WooCommerce order payloads (REST API v3 order object).</summary>
internal static class WooCommerceOrders
{
    /// <summary><c>woocommerce:{site}:order:{id}</c>.</summary>
    public static string OrderKey(string site, string id) => $"woocommerce:{site}:order:{id}";

    public static CustomerActivity Read(string site, JsonElement order, string context)
    {
        var id = order.RequiredString("id", context);
        var status = order.String("status")?.ToLowerInvariant();

        // The *_gmt fields are UTC without an offset; the plain ones are in the site's time zone.
        var createdAt = order.Timestamp("date_created_gmt") ?? order.Timestamp("date_created");
        var versionAt = order.Timestamp("date_modified_gmt") ?? order.Timestamp("date_modified") ?? createdAt
            ?? throw new PayloadException($"{context}: required field 'date_modified_gmt' is missing or not a timestamp.");
        var gross = order.Money("total", context) ?? throw new PayloadException($"{context}: required field 'total' is missing or not a number.");

        // Refund summaries carry a negative total and no date; their ids make repeated versions safe to merge.
        var refunds = order.Array("refunds")
            .Select((r, i) => new OrderRefund(r.String("id") ?? $"{id}-{i + 1}", Math.Abs(r.Money("total", context, "refunds[].total", allowNegative: true) ?? 0m), versionAt))
            .ToList();
        var refunded = refunds.Sum(r => r.Amount);
        if (!OrderAmounts.IsWithinLimit(refunded))
        {
            throw new PayloadException(JsonFields.TooLarge(context, "the sum of 'refunds'"));
        }

        if (status == "refunded")
        {
            refunded = Math.Max(refunded, gross);
        }

        var meta = Meta(order);
        var createdVia = order.String("created_via")?.ToLowerInvariant();
        var channel = Channel(createdVia, meta.GetValueOrDefault("_wc_order_attribution_source_type"));
        var billing = order.Object("billing");
        var shipping = order.Object("shipping");

        var record = new OrderRecord
        {
            OrderKey = OrderKey(site, id),
            PlacedAt = createdAt ?? versionAt,
            VersionAt = versionAt,
            Gross = gross,
            Discounts = order.Money("discount_total", context) ?? 0m,
            Tax = order.Money("total_tax", context) ?? 0m,
            Shipping = order.Money("shipping_total", context) ?? 0m,
            Refunded = refunded,
            Refunds = refunds,
            Currency = (order.String("currency") ?? throw new PayloadException($"{context}: required field 'currency' is missing.")).ToUpperInvariant(),
            Channel = channel,
            Device = TrafficSource.Device(meta.GetValueOrDefault("_wc_order_attribution_device_type"))
                ?? TrafficSource.DeviceFromUserAgent(order.String("customer_user_agent"))
                ?? (channel == SalesChannel.Store ? "pos" : null),

            // Failed and cancelled orders were never paid; trash and checkout-draft are not orders the customer placed.
            Cancelled = status is "cancelled" or "failed" or "trash" or "checkout-draft",
            AcquisitionChannel = Acquisition(meta, site),
        };

        return new CustomerActivity
        {
            Identities = new IdentityBuilder()
                .SourceId($"woocommerce:{site}", order.String("customer_id"))
                .Email(billing?.String("email"))
                .Phone(billing?.String("phone"))
                .Phone(shipping?.String("phone"))
                .Build(),
            FirstName = billing?.String("first_name") ?? shipping?.String("first_name"),
            LastName = billing?.String("last_name") ?? shipping?.String("last_name"),
            Order = record,
            OccurredAt = versionAt,
        };
    }

    private static Dictionary<string, string> Meta(JsonElement order)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in order.Array("meta_data"))
        {
            if (entry.String("key") is { } key && key.StartsWith("_wc_order_attribution_", StringComparison.Ordinal)
                && entry.String("value") is { } value)
            {
                meta[key] = value;
            }
        }

        return meta;
    }

    // WooCommerce's order attribution (8.5+) stores source_type utm|organic|referral|typein|admin|mobile_app and,
    // for the first three, utm_source/utm_medium (organic search is e.g. google/organic).
    private static string? Acquisition(Dictionary<string, string> meta, string site)
    {
        var sourceType = meta.GetValueOrDefault("_wc_order_attribution_source_type")?.ToLowerInvariant();
        var utmSource = meta.GetValueOrDefault("_wc_order_attribution_utm_source");
        var utmMedium = meta.GetValueOrDefault("_wc_order_attribution_utm_medium");
        return sourceType switch
        {
            "typein" => "direct/none",
            "admin" => "admin/none",
            "mobile_app" => "app/none",
            "organic" => TrafficSource.Format(utmSource, utmMedium ?? "organic"),
            "referral" => TrafficSource.Format(utmSource, utmMedium ?? "referral")
                ?? TrafficSource.FromReferrer(meta.GetValueOrDefault("_wc_order_attribution_referrer"), site),
            _ => TrafficSource.Format(utmSource, utmMedium)
                ?? TrafficSource.FromReferrer(meta.GetValueOrDefault("_wc_order_attribution_referrer"), site),
        };
    }

    private static SalesChannel Channel(string? createdVia, string? sourceType)
    {
        if (createdVia is not null && createdVia.Contains("pos", StringComparison.Ordinal))
        {
            return SalesChannel.Store;
        }

        return sourceType == "mobile_app" || (createdVia is not null && createdVia.Contains("app", StringComparison.Ordinal))
            ? SalesChannel.App
            : SalesChannel.Online;
    }
}
