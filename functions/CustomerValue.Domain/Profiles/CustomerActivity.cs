using CustomerValue.Domain.Identities;

namespace CustomerValue.Domain.Profiles;

/// <summary>
/// What one inbound record (a webhook, a CSV row, an event) says about one person: who they are and
/// what they did. Parsers produce it; identity resolution decides which profile it belongs to.
/// </summary>
public sealed record CustomerActivity
{
    /// <summary>The identities the record carries, not yet normalized (raw e-mail and phone as typed).</summary>
    public required RawIdentities Identities { get; init; }

    /// <summary>Given name, if the source knows it.</summary>
    public string? FirstName { get; init; }

    /// <summary>Family name, if the source knows it.</summary>
    public string? LastName { get; init; }

    /// <summary>The order version the record carries, if any.</summary>
    public OrderRecord? Order { get; init; }

    /// <summary>When the source says the record happened (orders: their version time).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>A Net Promoter Score answer the record carries, if any.</summary>
    public NpsAnswer? Nps { get; init; }

    /// <summary>Marketing consent given or withdrawn, one entry per channel, if the record carries any.</summary>
    public IReadOnlyList<ConsentChange>? Consents { get; init; }

    /// <summary>Loyalty-programme membership (joined, tier changed, left), if the record carries it.</summary>
    public LoyaltyMembership? Loyalty { get; init; }

    /// <summary>An engagement without a purchase (visit, e-mail click, store visit), if the record is one.</summary>
    public EngagementTouch? Touch { get; init; }
}

/// <summary>Identifiers exactly as a source sent them; normalization happens in identity resolution.</summary>
public sealed record RawIdentities
{
    /// <summary>Scoped source customer ids such as <c>shopify:my-shop:123</c>.</summary>
    public IReadOnlyList<string> SourceCustomerIds { get; init; } = [];

    /// <summary>E-mail addresses as typed.</summary>
    public IReadOnlyList<string> Emails { get; init; } = [];

    /// <summary>Phone numbers as typed, in any national or international format.</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary>Loyalty member ids.</summary>
    public IReadOnlyList<string> LoyaltyIds { get; init; } = [];

    /// <summary>
    /// Source customer ids in the form an older version scoped them (POS ids per store, <c>pos:{store}:{id}</c>, before
    /// they became chain-wide): looked up so that profiles stored under them keep resolving, but never stored as new
    /// identities. They alone do not name anybody.
    /// </summary>
    public IReadOnlyList<string> FormerSourceCustomerIds { get; init; } = [];

    /// <summary>True when the record names nobody (an anonymous sale).</summary>
    public bool IsEmpty => SourceCustomerIds.Count == 0 && Emails.Count == 0 && Phones.Count == 0 && LoyaltyIds.Count == 0;
}
