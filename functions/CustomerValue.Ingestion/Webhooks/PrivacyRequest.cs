namespace CustomerValue.Ingestion.Webhooks;

/// <summary>What a data-subject request asks for.</summary>
public enum PrivacyRequestKind
{
    /// <summary>Report what is stored about the customer (Shopify <c>customers/data_request</c>).</summary>
    DataRequest,

    /// <summary>Erase the customer (Shopify <c>customers/redact</c>).</summary>
    RedactCustomer,

    /// <summary>Erase everything about the shop, 48 hours after it uninstalled the app (Shopify <c>shop/redact</c>).</summary>
    RedactShop,
}

/// <summary>
/// A data-subject request with the identifiers to act on. Identifiers are raw, like <see cref="Domain.Profiles.RawIdentities"/>;
/// the lists keep them out of <see cref="object.ToString"/>, so logging the record does not leak them.
/// </summary>
public sealed record PrivacyRequest
{
    /// <summary>What is asked.</summary>
    public required PrivacyRequestKind Kind { get; init; }

    /// <summary>The shop domain or source the request is scoped to.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// The prefix of every customer id and order key that came from this source (e.g. <c>shopify:my-shop:</c>), which
    /// a shop redaction removes.
    /// </summary>
    public string? KeyPrefix { get; init; }

    /// <summary>The platform's id of the request, when it has one (Shopify <c>data_request.id</c>).</summary>
    public string? RequestId { get; init; }

    /// <summary>Scoped source customer ids, e.g. <c>shopify:my-shop:123</c>.</summary>
    public IReadOnlyList<string> SourceCustomerIds { get; init; } = [];

    /// <summary>E-mail addresses as sent.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Phone numbers as sent.</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary>Order keys named by the request (orders to redact or to report).</summary>
    public IReadOnlyList<string> OrderKeys { get; init; } = [];
}
