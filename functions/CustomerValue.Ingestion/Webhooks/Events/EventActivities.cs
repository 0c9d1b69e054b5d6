using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Events;

/// <summary>Turns each event type's <c>data</c> into the matching part of a <see cref="CustomerActivity"/>.</summary>
internal static class EventActivities
{
    public static CustomerActivity Read(EventEnvelope e)
    {
        var activity = new CustomerActivity
        {
            Identities = e.Identities,
            FirstName = e.FirstName,
            LastName = e.LastName,
            OccurredAt = e.OccurredAt,
        };
        var context = $"events {e.Type}";
        return e.Type switch
        {
            "order" => activity with { Order = Order(e, context) },
            "nps" => activity with { Nps = Nps(e, context) },
            "loyalty" => activity with { Loyalty = Loyalty(e, context) },
            "consent" => activity with { Consents = Consents(e, context) },
            "touch" => activity with { Touch = Touch(e, context) },
            _ => activity,
        };
    }

    private static OrderRecord Order(EventEnvelope e, string context)
    {
        var data = e.Data;
        var orderId = data.RequiredString("orderId", $"{context} data");
        var kind = data.String("kind")?.ToLowerInvariant() switch
        {
            null or "sale" => OrderKind.Sale,
            "return" => OrderKind.Return,
            _ => throw new PayloadException($"{context}: data.kind must be 'sale' or 'return'."),
        };
        var currency = data.RequiredString("currency", $"{context} data").ToUpperInvariant();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
        {
            throw new PayloadException($"{context}: data.currency must be an ISO 4217 code such as EUR.");
        }

        var gross = Amount(data, "gross", context, required: kind == OrderKind.Sale);
        var refunded = Amount(data, "refunded", context, required: kind == OrderKind.Return);
        var channel = data.String("channel")?.ToLowerInvariant() switch
        {
            null or "online" or "web" => SalesChannel.Online,
            "app" => SalesChannel.App,
            "store" or "pos" => SalesChannel.Store,
            _ => throw new PayloadException($"{context}: data.channel must be 'online', 'app' or 'store'."),
        };

        return new OrderRecord
        {
            OrderKey = $"{e.Source}:order:{orderId}",
            Kind = kind,
            PlacedAt = data.Timestamp("placedAt") ?? e.OccurredAt,
            VersionAt = data.Timestamp("updatedAt") ?? e.OccurredAt,
            Gross = kind == OrderKind.Return ? 0m : gross,
            Discounts = Amount(data, "discounts", context, required: false),
            Tax = Amount(data, "tax", context, required: false),
            Shipping = Amount(data, "shipping", context, required: false),
            Refunded = refunded,
            Currency = currency,
            Channel = channel,
            Device = data.String("device")?.ToLowerInvariant() ?? (channel == SalesChannel.Store ? "pos" : null),
            Cancelled = data.Boolean("cancelled") ?? false,
            AcquisitionChannel = data.String("acquisitionChannel")?.ToLowerInvariant(),
            StoreId = data.String("storeId"),
        };
    }

    private static decimal Amount(JsonElement data, string name, string context, bool required) =>
        data.Money(name, context, $"data.{name}")
        ?? (required ? throw new PayloadException($"{context}: data.{name} is required and must be a number.") : 0m);

    private static NpsAnswer Nps(EventEnvelope e, string context)
    {
        var score = e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("score", out var s)
            && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var n) && n is >= 0 and <= 10
                ? n
                : throw new PayloadException($"{context}: data.score must be a whole number from 0 to 10.");
        return new NpsAnswer(score, e.OccurredAt) { Survey = e.Data.String("survey") };
    }

    private static LoyaltyMembership Loyalty(EventEnvelope e, string context)
    {
        var program = e.Data.RequiredString("program", $"{context} data");
        var active = e.Data.String("status")?.ToLowerInvariant() switch
        {
            null or "active" or "joined" => true,
            "inactive" or "left" or "cancelled" => false,
            _ => throw new PayloadException($"{context}: data.status must be 'active' or 'inactive'."),
        };
        return new LoyaltyMembership(program, active, e.OccurredAt)
        {
            Tier = e.Data.String("tier"),
            Points = e.Data.Decimal("points"),
        };
    }

    private static List<ConsentChange> Consents(EventEnvelope e, string context)
    {
        var changes = new List<ConsentChange>();
        foreach (var (name, channel) in new[] { ("email", ConsentChannel.Email), ("sms", ConsentChannel.Sms), ("ads", ConsentChannel.Ads) })
        {
            if (e.Data.TryGetProperty(name, out _))
            {
                var granted = e.Data.Boolean(name)
                    ?? throw new PayloadException($"{context}: data.{name} must be true or false.");
                changes.Add(new ConsentChange(channel, granted, e.OccurredAt));
            }
        }

        return changes.Count > 0
            ? changes
            : throw new PayloadException($"{context}: data must set at least one of email, sms, ads to true or false.");
    }

    private static EngagementTouch Touch(EventEnvelope e, string context)
    {
        var channel = e.Data.String("channel")?.ToLowerInvariant() switch
        {
            "web" => EngagementChannel.Web,
            "app" => EngagementChannel.App,
            "email" => EngagementChannel.Email,
            "store" => EngagementChannel.Store,
            _ => throw new PayloadException($"{context}: data.channel must be 'web', 'app', 'email' or 'store'."),
        };
        return new EngagementTouch(channel, e.OccurredAt)
        {
            Device = e.Data.String("device")?.ToLowerInvariant(),
            Action = e.Data.String("action")?.ToLowerInvariant(),
            Campaign = e.Data.String("campaign"),
        };
    }
}
