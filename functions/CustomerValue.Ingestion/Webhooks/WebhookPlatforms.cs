using CustomerValue.Ingestion.Webhooks.Events;
using CustomerValue.Ingestion.Webhooks.Shopify;
using CustomerValue.Ingestion.Webhooks.WooCommerce;

namespace CustomerValue.Ingestion.Webhooks;

/// <summary>The platforms the ingestion endpoint accepts, looked up by route name (case-insensitive).</summary>
public sealed class WebhookPlatforms
{
    private readonly Dictionary<string, IWebhookPlatform> _byName;

    /// <summary>A registry of the given platforms.</summary>
    public WebhookPlatforms(IEnumerable<IWebhookPlatform> platforms)
    {
        _byName = new Dictionary<string, IWebhookPlatform>(StringComparer.OrdinalIgnoreCase);
        foreach (var platform in platforms)
        {
            if (!_byName.TryAdd(platform.Name, platform))
            {
                throw new ArgumentException($"Two webhook platforms are named '{platform.Name}'.", nameof(platforms));
            }
        }

        Names = [.. _byName.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>Shopify, WooCommerce and signed events.</summary>
    public static WebhookPlatforms Default { get; } =
        new([new ShopifyWebhooks(), new WooCommerceWebhooks(), new SignedEventWebhooks()]);

    /// <summary>The accepted names, sorted, e.g. for a 404 message.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Finds a platform by route name.</summary>
    public bool TryGet(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IWebhookPlatform? platform)
    {
        platform = null;
        return name is not null && _byName.TryGetValue(name.Trim(), out platform);
    }
}
