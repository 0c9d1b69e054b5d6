using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Application.PosImports;

/// <summary>
/// Chooses the layout of an export from the folder it was uploaded to:
/// <list type="bullet">
/// <item><c>square/…</c> — Square's transactions export;</item>
/// <item><c>shopify-pos/…</c> — Shopify's orders export (shop domain from <c>PosExports:ShopifyShopDomain</c>);</item>
/// <item><c>{folder}/…</c> with a mapping file configured as <c>PosExports:Mappings:{folder}</c> — that mapping;</item>
/// <item>anything else — the generic layout documented in the README.</item>
/// </list>
/// </summary>
public sealed class PosLayoutCatalog(PosExportSettings settings)
{
    /// <summary>
    /// The layout for an export, with the folder's POS source (<c>PosExports:Sources:{folder}</c>) and the configured
    /// scope of customer ids applied.
    /// </summary>
    public async Task<PosLayout> ForExportAsync(string exportName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exportName);
        var slash = exportName.IndexOf('/', StringComparison.Ordinal);
        var folder = slash > 0 ? exportName[..slash].ToLowerInvariant() : string.Empty;
        var layout = await LayoutOfFolderAsync(folder, cancellationToken);
        if (settings.Sources.GetValueOrDefault(folder) is { } source && !string.IsNullOrWhiteSpace(source))
        {
            layout = layout with { Source = source };
        }

        // Only layouts that scope ids by POS source can be narrowed to a store; Square's and Shopify's ids are their own.
        return settings.CustomerIdScope == PosCustomerIdScope.Store && layout.CustomerKeyTemplate.Contains("{source}", StringComparison.Ordinal)
            ? layout.WithPerStoreCustomerIds()
            : layout;
    }

    private async Task<PosLayout> LayoutOfFolderAsync(string folder, CancellationToken cancellationToken)
    {
        switch (folder)
        {
            case "square":
                return PosLayouts.SquareTransactions(settings.Currency);
            case "shopify-pos":
                var shop = settings.ShopifyShopDomain
                    ?? throw new InvalidOperationException("Exports in shopify-pos/ need the setting PosExports:ShopifyShopDomain (e.g. my-shop.myshopify.com).");
                return PosLayouts.ShopifyPos(shop);
        }

        var mapping = folder.Length == 0 ? null : settings.Mappings.GetValueOrDefault(folder);
        if (mapping is null)
        {
            return PosLayouts.Generic;
        }

        await using var file = File.OpenRead(mapping);
        return await PosMappingFile.LoadAsync(file, cancellationToken);
    }
}
