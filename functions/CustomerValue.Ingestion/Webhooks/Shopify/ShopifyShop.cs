namespace CustomerValue.Ingestion.Webhooks.Shopify;

/// <summary>A shop as keys name it: <c>my-shop</c> for <c>my-shop.myshopify.com</c>.</summary>
internal sealed record ShopifyShop
{
    public ShopifyShop(string domain)
    {
        Domain = domain.Trim().ToLowerInvariant();
        Handle = Domain.EndsWith(".myshopify.com", StringComparison.Ordinal) ? Domain[..^".myshopify.com".Length] : Domain;
    }

    /// <summary>The full shop domain as Shopify sends it.</summary>
    public string Domain { get; }

    /// <summary>The short name used in keys.</summary>
    public string Handle { get; }

    /// <summary>Scope of customer ids: <c>shopify:{handle}</c>.</summary>
    public string CustomerScope => $"shopify:{Handle}";

    /// <summary>The order key <c>shopify:{handle}:order:{id}</c>.</summary>
    public string OrderKey(string orderId) => $"shopify:{Handle}:order:{orderId}";
}
