namespace CustomerValue.Ingestion.Webhooks;

/// <summary>
/// Webhook signing secrets, bound from the configuration section <c>Webhooks</c>:
/// <code>
/// "Webhooks": {
///   "Shopify":     { "Secret": "...", "Sources": { "other-shop.myshopify.com": "..." } },
///   "WooCommerce": { "Secret": "...", "Sources": { "shop.example.com": "..." } },
///   "Events":      { "Secret": "whsec_...", "Sources": { "crm": "whsec_..." } }
/// }
/// </code>
/// </summary>
public sealed class WebhookSecrets
{
    /// <summary>The configuration section the secrets bind from.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>Shopify app secrets; sources are shop domains (<c>X-Shopify-Shop-Domain</c>).</summary>
    public WebhookSecret Shopify { get; set; } = new();

    /// <summary>WooCommerce webhook secrets; sources are site hosts (from <c>X-WC-Webhook-Source</c>).</summary>
    public WebhookSecret WooCommerce { get; set; } = new();

    /// <summary>Standard Webhooks secrets for generic events; sources are the envelope's <c>source</c>.</summary>
    public WebhookSecret Events { get; set; } = new();
}

/// <summary>One platform's secret with per-source overrides.</summary>
public sealed class WebhookSecret
{
    /// <summary>The secret used when a source has no override.</summary>
    public string? Secret { get; set; }

    /// <summary>Overrides by source (shop domain, site host, event source), matched case-insensitively.</summary>
    public Dictionary<string, string> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The secret for <paramref name="source"/>: its override, else the default; null when neither is set.</summary>
    public string? Resolve(string? source)
    {
        if (!string.IsNullOrWhiteSpace(source))
        {
            // The configuration binder may replace the dictionary with one that compares ordinally.
            foreach (var (key, value) in Sources)
            {
                if (string.Equals(key, source.Trim(), StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
                {
                    return value;
                }
            }
        }

        return string.IsNullOrWhiteSpace(Secret) ? null : Secret;
    }
}
