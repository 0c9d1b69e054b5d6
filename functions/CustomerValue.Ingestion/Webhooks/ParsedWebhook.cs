using CustomerValue.Domain.Profiles;

namespace CustomerValue.Ingestion.Webhooks;

/// <summary>What one verified webhook delivery says, ready for deduplication and identity resolution.</summary>
public sealed record ParsedWebhook
{
    /// <summary>The platform name, e.g. <c>shopify</c>.</summary>
    public required string Platform { get; init; }

    /// <summary>The topic or event type, e.g. <c>orders/create</c>, <c>order.updated</c>, <c>nps</c>.</summary>
    public required string Topic { get; init; }

    /// <summary>Who sent it: the shop domain, the WooCommerce site host, or the event source.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// The platform's id of this delivery, for deduplication: <c>X-Shopify-Webhook-Id</c>,
    /// <c>X-WC-Webhook-Delivery-ID</c> or <c>webhook-id</c>. Retries of one delivery repeat it.
    /// </summary>
    public required string DeliveryId { get; init; }

    /// <summary>What the delivery says about people; empty for pings, privacy requests and deletions.</summary>
    public IReadOnlyList<CustomerActivity> Activities { get; init; } = [];

    /// <summary>True for a connectivity check that carries no data (WooCommerce sends one when a webhook is created).</summary>
    public bool IsPing { get; init; }

    /// <summary>A data-subject request to act on (Shopify's mandatory privacy topics).</summary>
    public PrivacyRequest? Privacy { get; init; }

    /// <summary>Orders the source deleted (WooCommerce <c>order.deleted</c> carries only the id, so no person).</summary>
    public IReadOnlyList<string> DeletedOrderKeys { get; init; } = [];

    /// <summary>Things the parser had to guess, for the log. Never contain e-mail addresses or phone numbers.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
