using System.Text.Json.Serialization;

namespace CustomerValue.Domain.Profiles;

/// <summary>
/// One version of an order (or a standalone return) as a source reported it. Amounts are in the shop currency.
/// A newer version (later <see cref="VersionAt"/>) replaces an older one of the same <see cref="OrderKey"/>;
/// an older version arriving late is ignored, so retries and out-of-order deliveries never double count or roll back.
/// Stored as a document of its own (one per order): fields at their default (zero amounts, a sale, not cancelled) are
/// left out of its JSON, which keeps a store of millions of orders small.
/// </summary>
public sealed record OrderRecord
{
    /// <summary>Unique across sources, e.g. <c>shopify:my-shop:order:4501</c> or <c>pos:store-7:tx:991</c>.</summary>
    public required string OrderKey { get; init; }

    /// <summary>Sale or standalone return.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public OrderKind Kind { get; init; } = OrderKind.Sale;

    /// <summary>When the customer placed the order.</summary>
    public required DateTimeOffset PlacedAt { get; init; }

    /// <summary>The source's last-modified time of this version (Shopify <c>updated_at</c>); orders versions.</summary>
    public required DateTimeOffset VersionAt { get; init; }

    /// <summary>What the customer paid: items after discounts, plus tax and shipping. For a return, 0.</summary>
    public decimal Gross { get; init; }

    /// <summary>Discounts granted (informational; already netted out of <see cref="Gross"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Discounts { get; init; }

    /// <summary>Tax included in <see cref="Gross"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Tax { get; init; }

    /// <summary>Shipping included in <see cref="Gross"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Shipping { get; init; }

    /// <summary>Money returned to the customer (refunds and returns) for this order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal Refunded { get; init; }

    /// <summary>ISO 4217 currency of the amounts.</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>Online shop, app or store.</summary>
    public SalesChannel Channel { get; init; } = SalesChannel.Online;

    /// <summary>Device or source detail, e.g. <c>mobile</c>, <c>desktop</c>, <c>pos</c>.</summary>
    public string? Device { get; init; }

    /// <summary>A cancelled order carries no revenue and is no purchase.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Cancelled { get; init; }

    /// <summary>First-touch marketing channel of this order (UTM source/medium or the platform's source).</summary>
    public string? AcquisitionChannel { get; init; }

    /// <summary>The store for POS transactions.</summary>
    public string? StoreId { get; init; }

    /// <summary>
    /// The individual refunds behind <see cref="Refunded"/>, when the source names them. Refunds never change once
    /// made, so two versions of one order can be merged by refund id without counting a refund twice.
    /// </summary>
    public IReadOnlyList<OrderRefund>? Refunds { get; init; }

    /// <summary>
    /// True when this record only reports refunds (e.g. Shopify <c>refunds/create</c>) for the order with the same
    /// <see cref="OrderKey"/>: its <see cref="Refunds"/> are to be added to that order, never to replace it.
    /// Standing alone it is a <see cref="OrderKind.Return"/> with <see cref="Gross"/> 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsRefundOnly { get; init; }

    /// <summary>
    /// The import row that stored this version (<c>{import id}#{record number}</c>), for imported records; null for
    /// webhooks. An import resumed after a crash re-applies the rows after its last checkpoint, some of which it had
    /// already stored: this tells those rows (new to the upload, so accepted) from true duplicates (stored by another
    /// upload or another row).
    /// </summary>
    public string? AppliedBy { get; init; }

    /// <summary>Revenue the shop keeps: paid minus refunded; zero when cancelled.</summary>
    [JsonIgnore]
    public decimal NetRevenue => Cancelled ? 0m : Gross - Refunded;

    /// <summary>True when this record is a purchase that counts towards frequency.</summary>
    [JsonIgnore]
    public bool IsPurchase => Kind == OrderKind.Sale && !Cancelled;
}
