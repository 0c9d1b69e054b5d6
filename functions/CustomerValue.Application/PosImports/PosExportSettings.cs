namespace CustomerValue.Application.PosImports;

/// <summary>The <c>PosExports</c> settings: what the layouts of uploaded exports need besides the file itself.</summary>
public sealed class PosExportSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "PosExports";

    /// <summary>Currency of exports whose layout carries none (Square's transactions export).</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>The shop of Shopify POS exports (e.g. <c>my-shop.myshopify.com</c>), which scopes their ids.</summary>
    public string? ShopifyShopDomain { get; init; }

    /// <summary>
    /// Attempts at one upload before it ends with a <see cref="PosImportStatus.Failed"/> report instead of being retried
    /// again: the blob trigger and the local inbox retry a failed import, and an upload that always fails must not loop.
    /// </summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>
    /// Records per batch (<c>PosExports:BatchRecords</c>, default <see cref="PosExportImporter.BatchRecords"/>): each batch
    /// is resolved as a set and checkpointed. Larger batches write each profile fewer times; smaller ones hold less memory
    /// and lose less work to a crash.
    /// </summary>
    public int BatchRecords { get; init; } = PosExportImporter.BatchRecords;

    /// <summary>
    /// People per batch at most (<c>PosExports:BatchPeople</c>, default <see cref="PosExportImporter.BatchPeople"/>): a
    /// batch also ends when its rows name this many different customers. What a batch holds in memory while it is applied
    /// (every profile it reads and rewrites) grows with the people in it, not with its rows: with a large customer base
    /// nearly every row is another person, so rows alone would not bound it.
    /// </summary>
    public int BatchPeople { get; init; } = PosExportImporter.BatchPeople;

    /// <summary>The largest <see cref="BatchRecords"/> (and <see cref="BatchPeople"/>) accepted.</summary>
    public const int MaxBatchRecords = 1_000_000;

    /// <summary>The most <see cref="MaxAttempts"/> accepted: more would only delay the failed report of a bad upload.</summary>
    public const int MaxMaxAttempts = 100;

    /// <summary>
    /// Throws, naming the setting, when a value cannot work (a batch size of 0 would never flush, 0 attempts would never
    /// import); the server calls it at start-up so that a mistyped setting stops it with this message instead of
    /// importing with a guessed value.
    /// </summary>
    public PosExportSettings Validated()
    {
        if (BatchRecords is < 1 or > MaxBatchRecords)
        {
            throw new InvalidOperationException($"PosExports:BatchRecords must be 1 to {MaxBatchRecords} rows per batch; it is {BatchRecords}.");
        }

        if (BatchPeople is < 1 or > MaxBatchRecords)
        {
            throw new InvalidOperationException($"PosExports:BatchPeople must be 1 to {MaxBatchRecords} people per batch; it is {BatchPeople}.");
        }

        return MaxAttempts is >= 1 and <= MaxMaxAttempts
            ? this
            : throw new InvalidOperationException($"PosExports:MaxAttempts must be 1 to {MaxMaxAttempts} attempts per upload; it is {MaxAttempts}.");
    }

    /// <summary>
    /// The POS source of each upload folder (<c>PosExports:Sources:{folder}</c>), which scopes its customer ids as
    /// <c>pos:{source}:{id}</c>; a folder not named here uses its layout's name (<c>generic</c>, or the mapping's name).
    /// </summary>
    public Dictionary<string, string> Sources { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How POS customer ids are scoped: <see cref="PosCustomerIdScope.Chain"/> (default: one customer list per POS
    /// source) or <see cref="PosCustomerIdScope.Store"/> for chains whose POS numbers customers per store.
    /// </summary>
    public PosCustomerIdScope CustomerIdScope { get; init; } = PosCustomerIdScope.Chain;

    /// <summary>Mapping files by upload folder: an export in <c>{folder}/…</c> is read with the mapping file given here.</summary>
    public Dictionary<string, string> Mappings { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>How far a POS customer id reaches.</summary>
public enum PosCustomerIdScope
{
    /// <summary>One customer list for every store of the POS source (<c>pos:{source}:{id}</c>).</summary>
    Chain,

    /// <summary>Each store numbers its own customers (<c>pos:{store}:{id}</c>).</summary>
    Store,
}
