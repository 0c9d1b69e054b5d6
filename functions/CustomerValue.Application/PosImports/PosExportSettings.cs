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

    /// <summary>Mapping files by upload folder: an export in <c>{folder}/…</c> is read with the mapping file given here.</summary>
    public Dictionary<string, string> Mappings { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
