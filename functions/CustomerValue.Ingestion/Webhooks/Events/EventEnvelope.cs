using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Events;

/// <summary>The common part of every event: type, id, time, source and the customer it is about.</summary>
internal sealed record EventEnvelope(
    string Type, string Id, DateTimeOffset OccurredAt, string Source, RawIdentities Identities,
    string? FirstName, string? LastName, JsonElement Data)
{
    /// <summary>The event types EVENTS.md documents.</summary>
    public static readonly IReadOnlyList<string> Types = ["order", "nps", "loyalty", "consent", "touch", "customer"];

    public static EventEnvelope Read(JsonElement root)
    {
        var type = root.RequiredString("type", "events").ToLowerInvariant();
        if (!Types.Contains(type, StringComparer.Ordinal))
        {
            throw new PayloadException($"events: type {PayloadException.Token(type)} is not supported; supported: {string.Join(", ", Types)}.");
        }

        var context = $"events {type}";
        var source = root.RequiredString("source", context).ToLowerInvariant();
        if (!source.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new PayloadException($"{context}: field 'source' may hold only letters, digits, '-', '_' and '.'.");
        }

        var customer = root.Object("customer") ?? throw new PayloadException($"{context}: required object 'customer' is missing.");
        var identities = new IdentityBuilder()
            .SourceId(source, customer.String("sourceId"))
            .Email(customer.String("email"))
            .Phone(customer.String("phone"))
            .Loyalty(customer.String("loyaltyId"))
            .Build();
        if (identities.IsEmpty)
        {
            throw new PayloadException($"{context}: 'customer' must carry at least one of sourceId, email, phone, loyaltyId.");
        }

        var data = root.Object("data");
        if (data is null && type != "customer")
        {
            throw new PayloadException($"{context}: required object 'data' is missing.");
        }

        return new EventEnvelope(
            type,
            root.RequiredString("id", context),
            root.RequiredTimestamp("occurredAt", context),
            source,
            identities,
            customer.String("firstName"),
            customer.String("lastName"),
            data ?? default);
    }
}
