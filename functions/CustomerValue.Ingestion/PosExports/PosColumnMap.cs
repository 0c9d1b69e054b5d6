using Sylvan.Data.Csv;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>The ordinals of the layout's columns in one file's header, or what required column is missing.</summary>
internal sealed class PosColumnMap
{
    private readonly string[] _names;

    private PosColumnMap(string[] names) => _names = names;

    public int[] TransactionId { get; private init; } = [];
    public int[] Timestamp { get; private init; } = [];
    public int[] Date { get; private init; } = [];
    public int[] Time { get; private init; } = [];
    public int[] TimeZone { get; private init; } = [];
    public int[] Total { get; private init; } = [];
    public int[] Quantity { get; private init; } = [];
    public int[] UnitPrice { get; private init; } = [];
    public int[] Type { get; private init; } = [];
    public int[] Currency { get; private init; } = [];
    public int[] StoreId { get; private init; } = [];
    public int[] Channel { get; private init; } = [];
    public int[] CustomerId { get; private init; } = [];
    public int[] Email { get; private init; } = [];
    public int[] Phone { get; private init; } = [];
    public int[] FirstName { get; private init; } = [];
    public int[] LastName { get; private init; } = [];
    public int[] FullName { get; private init; } = [];
    public int[] LoyaltyId { get; private init; } = [];
    public int[] Discounts { get; private init; } = [];
    public int[] Tax { get; private init; } = [];
    public int[] Shipping { get; private init; } = [];
    public int[] Refunded { get; private init; } = [];
    public int[] CancelledAt { get; private init; } = [];

    /// <summary>The header name of a column as the file writes it.</summary>
    public string Name(int ordinal) => _names[ordinal];

    /// <summary>The header names as written.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Maps the header; <paramref name="missing"/> names the first required field without a column.</summary>
    public static PosColumnMap Create(CsvDataReader csv, PosLayout layout, out string? missing)
    {
        var names = new string[csv.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            // A second BOM or a BOM the decoder did not strip must not hide the first column.
            names[i] = csv.GetName(i).Trim().TrimStart('\uFEFF').Trim();
        }

        var c = layout.Columns;
        int[] Find(string? spec) => spec is null
            ? []
            : [.. spec.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => Array.FindIndex(names, h => h.Equals(n, StringComparison.OrdinalIgnoreCase)))
                .Where(i => i >= 0)
                .Distinct()];

        var map = new PosColumnMap(names)
        {
            TransactionId = Find(c.TransactionId), Timestamp = Find(c.Timestamp), Date = Find(c.Date), Time = Find(c.Time),
            TimeZone = Find(c.TimeZone), Total = Find(c.Total), Quantity = Find(c.Quantity), UnitPrice = Find(c.UnitPrice),
            Type = Find(c.Type), Currency = Find(c.Currency), StoreId = Find(c.StoreId), Channel = Find(c.Channel),
            CustomerId = Find(c.CustomerId), Email = Find(c.Email), Phone = Find(c.Phone), FirstName = Find(c.FirstName),
            LastName = Find(c.LastName), FullName = Find(c.FullName), LoyaltyId = Find(c.LoyaltyId), Discounts = Find(c.Discounts),
            Tax = Find(c.Tax), Shipping = Find(c.Shipping), Refunded = Find(c.Refunded), CancelledAt = Find(c.CancelledAt),
        };

        missing = map.TransactionId.Length == 0 ? c.TransactionId ?? "transaction id"
            : map.Timestamp.Length == 0 && map.Date.Length == 0 ? c.Timestamp ?? c.Date ?? "timestamp"
            : layout.Amount == PosAmountRule.Total && map.Total.Length == 0 ? c.Total ?? "total"
            : layout.Amount == PosAmountRule.QuantityTimesUnitPrice && map.Quantity.Length == 0 ? c.Quantity ?? "quantity"
            : layout.Amount == PosAmountRule.QuantityTimesUnitPrice && map.UnitPrice.Length == 0 ? c.UnitPrice ?? "unit price"
            : null;
        return map;
    }
}
