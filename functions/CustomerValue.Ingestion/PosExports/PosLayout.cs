using CustomerValue.Domain.Profiles;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>How the amount of a transaction is found.</summary>
public enum PosAmountRule
{
    /// <summary>One column holds the transaction total.</summary>
    Total,

    /// <summary>The total is quantity × unit price (exports that list one product line per transaction).</summary>
    QuantityTimesUnitPrice,
}

/// <summary>
/// Describes one POS export format: which columns hold which fields, how numbers and dates are written and how
/// returns are marked. Use a preset from <see cref="PosLayouts"/> or load one with <see cref="PosMappingFile"/>.
/// </summary>
public sealed record PosLayout
{
    /// <summary>A name for messages, e.g. <c>generic</c> or <c>square-transactions</c>.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>Which header holds which field (matched case-insensitively).</summary>
    public PosColumns Columns { get; init; } = new();

    /// <summary>
    /// The export's character encoding by name (<c>windows-1252</c>, <c>iso-8859-1</c>, <c>utf-16</c>, ...); null reads
    /// UTF-8. A byte-order mark in the file wins over it. A record holding bytes the encoding does not define is
    /// quarantined, never imported garbled.
    /// </summary>
    public string? Encoding { get; init; }

    /// <summary>The field delimiter; null detects <c>,</c>, <c>;</c>, tab or <c>|</c> from the header line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>The decimal separator; null means <c>,</c> when the delimiter is <c>;</c> and <c>.</c> otherwise.</summary>
    public char? DecimalSeparator { get; init; }

    /// <summary>
    /// Characters that may group the digits of an amount's whole part in threes (<c>1,234.56</c>, <c>1 234,56</c>).
    /// Null allows the usual ones, <c>,</c> <c>.</c> <c>'</c> <c>’</c> and spaces, except the decimal separator; empty
    /// allows none. Either way one amount uses one of them, and only between groups of three digits.
    /// </summary>
    public string? GroupSeparators { get; init; }

    /// <summary>.NET custom formats tried in order; empty means ISO 8601. Formats without an offset are local to <see cref="TimeZone"/>.</summary>
    public IReadOnlyList<string> TimestampFormats { get; init; } = [];

    /// <summary>IANA time zone of timestamps that carry no offset; null means UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Currency when the export has no currency column (or the cell is empty).</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>Store when the export has no store column; null means <c>default</c>.</summary>
    public string? StoreId { get; init; }

    /// <summary>Where the sales happened when no channel column says so.</summary>
    public SalesChannel Channel { get; init; } = SalesChannel.Store;

    /// <summary>How the amount is found.</summary>
    public PosAmountRule Amount { get; init; } = PosAmountRule.Total;

    /// <summary>Decimals an amount computed as quantity × unit price is rounded to.</summary>
    public int AmountDecimals { get; init; } = 2;

    /// <summary>How returns are told apart from sales.</summary>
    public PosReturnRule Returns { get; init; } = new();

    /// <summary>Order key with the placeholders <c>{store}</c> and <c>{id}</c>.</summary>
    public string OrderKeyTemplate { get; init; } = "pos:{store}:tx:{id}";

    /// <summary>
    /// Source customer id with the placeholders <c>{source}</c>, <c>{store}</c> and <c>{id}</c>. By default a POS system's
    /// customer ids are chain-wide (Shopify POS, Square and Lightspeed keep one customer list per merchant), so they are
    /// scoped by the POS source, not by the store: one customer buying in five stores is one person.
    /// </summary>
    public string CustomerKeyTemplate { get; init; } = "pos:{source}:{id}";

    /// <summary>
    /// The POS source that scopes customer ids in <see cref="CustomerKeyTemplate"/> (<c>{source}</c>); null uses
    /// <see cref="Name"/>. Set it per export folder (<c>PosExports:Sources:{folder}</c>) when two POS systems write the
    /// same layout.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// How customer ids were scoped before they became chain-wide (<c>pos:{store}:{id}</c>). A row also carries its id in
    /// this form, looked up but never stored, so profiles created under per-store ids keep receiving their customers'
    /// sales (and a customer's per-store profiles are joined by the chain-wide id). Null when there is no older form.
    /// </summary>
    public string? FormerCustomerKeyTemplate { get; init; } = PerStoreCustomerKeyTemplate;

    /// <summary>The per-store scope of customer ids, for chains whose POS really numbers customers per store.</summary>
    public const string PerStoreCustomerKeyTemplate = "pos:{store}:{id}";

    /// <summary>This layout with customer ids scoped per store (<see cref="PerStoreCustomerKeyTemplate"/>).</summary>
    public PosLayout WithPerStoreCustomerIds() => this with { CustomerKeyTemplate = PerStoreCustomerKeyTemplate, FormerCustomerKeyTemplate = null };

    /// <summary>
    /// True when the export lists a refund under the id of the sale it refunds (Square). A return's key then ends in
    /// <c>:return:{unix seconds}</c>, so that it neither replaces the sale nor another refund of the same sale.
    /// </summary>
    public bool ReturnsReuseSaleId { get; init; }

    /// <summary>
    /// True when an order spans several rows and only its first row carries the total (Shopify's order export):
    /// rows with an empty total are then skipped instead of quarantined.
    /// </summary>
    public bool SkipRowsWithoutTotal { get; init; }
}

/// <summary>
/// Header names per field. Null leaves a field unmapped. A value may list alternatives separated by <c>|</c>
/// (e.g. <c>Phone|Billing Phone</c>): identifiers are taken from all of them, other fields from the first non-empty.
/// </summary>
public sealed record PosColumns
{
    /// <summary>Transaction id (required).</summary>
    public string? TransactionId { get; init; } = "transaction_id";

    /// <summary>Date and time in one column; or use <see cref="Date"/> and <see cref="Time"/>.</summary>
    public string? Timestamp { get; init; } = "timestamp";

    /// <summary>Date column when date and time are separate.</summary>
    public string? Date { get; init; }

    /// <summary>Time column when date and time are separate.</summary>
    public string? Time { get; init; }

    /// <summary>A per-row time zone (IANA id or a name such as <c>Eastern Time (US &amp; Canada)</c>).</summary>
    public string? TimeZone { get; init; }

    /// <summary>Transaction total (for <see cref="PosAmountRule.Total"/>).</summary>
    public string? Total { get; init; } = "total";

    /// <summary>Quantity (for <see cref="PosAmountRule.QuantityTimesUnitPrice"/>).</summary>
    public string? Quantity { get; init; }

    /// <summary>Unit price (for <see cref="PosAmountRule.QuantityTimesUnitPrice"/>).</summary>
    public string? UnitPrice { get; init; }

    /// <summary>Sale or return marker.</summary>
    public string? Type { get; init; } = "type";

    /// <summary>ISO 4217 currency.</summary>
    public string? Currency { get; init; } = "currency";

    /// <summary>Store or location.</summary>
    public string? StoreId { get; init; } = "store_id";

    /// <summary>Sales channel (<c>pos</c>, <c>web</c>, <c>app</c>, ...).</summary>
    public string? Channel { get; init; }

    /// <summary>The POS system's customer id.</summary>
    public string? CustomerId { get; init; } = "customer_id";

    /// <summary>E-mail address.</summary>
    public string? Email { get; init; } = "email";

    /// <summary>Phone number.</summary>
    public string? Phone { get; init; } = "phone";

    /// <summary>Given name.</summary>
    public string? FirstName { get; init; } = "first_name";

    /// <summary>Family name.</summary>
    public string? LastName { get; init; } = "last_name";

    /// <summary>Full name, split at the first space when no first/last name columns are filled.</summary>
    public string? FullName { get; init; }

    /// <summary>Loyalty member id.</summary>
    public string? LoyaltyId { get; init; } = "loyalty_id";

    /// <summary>Discounts (informational; sign ignored).</summary>
    public string? Discounts { get; init; }

    /// <summary>Tax included in the total.</summary>
    public string? Tax { get; init; }

    /// <summary>Shipping included in the total.</summary>
    public string? Shipping { get; init; }

    /// <summary>Amount refunded later on a sale.</summary>
    public string? Refunded { get; init; }

    /// <summary>A cancellation time; a non-empty cell marks the sale cancelled.</summary>
    public string? CancelledAt { get; init; }
}

/// <summary>How returns are marked in an export. Any matching rule makes a row a return.</summary>
public sealed record PosReturnRule
{
    /// <summary>Values of the type column that mean a return (case-insensitive).</summary>
    public IReadOnlyList<string> TypeValues { get; init; } = ["return", "refund"];

    /// <summary>Values of the type column that mean a sale; any other value is quarantined.</summary>
    public IReadOnlyList<string> SaleValues { get; init; } = ["sale", "payment", "purchase"];

    /// <summary>True when a negative total (or quantity) marks a return; otherwise a negative sale is quarantined.</summary>
    public bool NegativeTotal { get; init; } = true;

    /// <summary>A transaction-id prefix that marks a return, e.g. <c>C</c> for cancelled invoices.</summary>
    public string? IdPrefix { get; init; }
}
