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

    /// <summary>Mapping files by upload folder: an export in <c>{folder}/…</c> is read with the mapping file given here.</summary>
    public Dictionary<string, string> Mappings { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
