using System.Text.Json.Serialization;

namespace CustomerValue.Domain.Profiles;

/// <summary>
/// One person as the shop knows them across every channel: identities, what their orders add up to, value and segments.
/// Stored as one document (partition key = <see cref="Id"/>) so that ingestion is a point read and a point write; the
/// orders themselves are documents of their own (the <c>orders</c> container, partitioned by profile id), so the
/// profile stays small however much the person buys.
/// </summary>
public sealed class CustomerProfile
{
    /// <summary>Stable profile id (<c>cp-…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Set when this profile was merged into another; the document then only redirects.</summary>
    public string? MergedInto { get; set; }

    /// <summary>Scoped source customer ids, e.g. <c>shopify:my-shop:123</c>.</summary>
    public List<string> SourceCustomerIds { get; init; } = [];

    /// <summary>Normalized e-mail addresses.</summary>
    public List<string> Emails { get; init; } = [];

    /// <summary>Phone numbers in E.164 form.</summary>
    public List<string> Phones { get; init; } = [];

    /// <summary>Loyalty member ids.</summary>
    public List<string> LoyaltyIds { get; init; } = [];

    /// <summary>Given name (latest known).</summary>
    public string? FirstName { get; set; }

    /// <summary>Family name (latest known).</summary>
    public string? LastName { get; set; }

    /// <summary>When the record that gave <see cref="FirstName"/> occurred: an older record arriving late never overwrites it.</summary>
    public DateTimeOffset? FirstNameAt { get; set; }

    /// <summary>When the record that gave <see cref="LastName"/> occurred.</summary>
    public DateTimeOffset? LastNameAt { get; set; }

    /// <summary>What the person's orders add up to (the orders are kept in documents of their own).</summary>
    public OrderTotals OrderTotals { get; set; } = new();

    /// <summary>
    /// Orders as profiles stored them before orders had documents of their own; null once moved out (the store moves
    /// them when it is opened). Read only to move them.
    /// </summary>
    [JsonPropertyName("orderHistory")]
    public List<OrderRecord>? LegacyOrderHistory { get; set; }

    /// <summary>Marketing consent, the latest decision per channel (e-mail, SMS, ads).</summary>
    public List<ConsentChange> Consent { get; init; } = [];

    /// <summary>The latest NPS answer (0–10).</summary>
    public NpsAnswer? Nps { get; set; }

    /// <summary>The latest loyalty-programme state.</summary>
    public LoyaltyMembership? Loyalty { get; set; }

    /// <summary>Where and on which devices the person engages (web, app, e-mail, store), and when they last did.</summary>
    public CustomerEngagement Engagement { get; set; } = new();

    /// <summary>Set when the person was erased: the document then holds no personal data and only keeps its id.</summary>
    public DateTimeOffset? ErasedAt { get; set; }

    /// <summary>What the last recompute said this customer is worth; null before the first run.</summary>
    public CustomerValueScore? Value { get; set; }

    /// <summary>Segments the customer belongs to, sorted by name.</summary>
    public List<string> Segments { get; set; } = [];

    /// <summary>The recompute run that last changed <see cref="Segments"/>.</summary>
    public string? SegmentsRunId { get; set; }

    /// <summary>Why the person is in each segment: the rule and the values and thresholds that decided it.</summary>
    public Dictionary<string, string>? SegmentReasons { get; set; }

    /// <summary>Merges that folded other profiles into this one (their ids keep resolving here).</summary>
    public List<ProfileMerge> Merges { get; init; } = [];

    /// <summary>When the profile was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When any fact of the profile last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Number of purchases (cancelled orders and returns excluded).</summary>
    public int Orders => OrderTotals.Purchases;

    /// <summary>Sum paid over purchases that were not cancelled.</summary>
    public decimal GrossRevenue => OrderTotals.Gross;

    /// <summary>Money given back: refunds on orders plus standalone returns.</summary>
    public decimal Refunds => OrderTotals.Refunded;

    /// <summary>Revenue kept: gross − refunds.</summary>
    public decimal NetRevenue => GrossRevenue - Refunds;

    /// <summary>Channels the person bought through.</summary>
    public IReadOnlyList<SalesChannel> Channels => [.. OrderTotals.Channels.Select(c => c.Channel)];

    /// <summary>Devices or sources the person bought from.</summary>
    public IReadOnlyList<string> Devices => [.. OrderTotals.Devices.Select(d => d.Device)];

    /// <summary>Time of the first purchase.</summary>
    public DateTimeOffset? FirstOrderAt => OrderTotals.FirstPurchaseAt;

    /// <summary>Time of the latest purchase.</summary>
    public DateTimeOffset? LastOrderAt => OrderTotals.LastPurchaseAt;

    /// <summary>First-touch acquisition channel: the one recorded on the earliest purchase that has one.</summary>
    public string? AcquisitionChannel => OrderTotals.Acquisition?.Channel;

    /// <summary>True when the document only redirects to the profile it was merged into.</summary>
    [JsonIgnore]
    public bool IsRedirect => MergedInto is not null;

    /// <summary>True when the person was erased.</summary>
    [JsonIgnore]
    public bool IsErased => ErasedAt is not null;

    /// <summary>True when the profile has consented to marketing on a channel (latest decision wins; none means no).</summary>
    public bool HasConsent(ConsentChannel channel) =>
        Consent.Where(c => c.Channel == channel).OrderByDescending(c => c.ChangedAt).Select(c => c.Granted).FirstOrDefault();

    /// <summary>Adds an identifier if it is new; returns true when the profile changed.</summary>
    public static bool AddDistinct(List<string> values, string value)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Contains(value, StringComparer.Ordinal))
        {
            return false;
        }

        values.Add(value);
        values.Sort(StringComparer.Ordinal);
        return true;
    }
}
