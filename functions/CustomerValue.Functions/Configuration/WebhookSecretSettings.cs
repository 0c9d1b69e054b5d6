using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// Turns the webhook secrets as configured into the secrets the handler may sign with. A value that is empty, or that
/// is still the text of a Key Vault reference (<c>@Microsoft.KeyVault(...)</c>: App Service passes the reference
/// through unchanged when it cannot resolve it, e.g. the vault secret was never created), is not a secret: used as
/// an HMAC key it would be public text anyone could sign with. Such a platform counts as not configured, so its
/// webhooks answer 401.
/// </summary>
public static class WebhookSecretSettings
{
    private const string KeyVaultReferencePrefix = "@Microsoft.KeyVault(";

    /// <summary>True when <paramref name="value"/> can be used as a signing secret.</summary>
    public static bool IsUsable(string? value) =>
        !string.IsNullOrWhiteSpace(value) && !value.TrimStart().StartsWith(KeyVaultReferencePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Clears every unusable secret in <paramref name="secrets"/> and returns the app settings (as written in Azure,
    /// e.g. <c>Webhooks__Shopify__Secret</c>) that are missing or unresolved, for the start-up log.
    /// </summary>
    public static IReadOnlyList<string> Normalize(WebhookSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var missing = new List<string>();
        Normalize(secrets.Shopify, "Shopify", missing);
        Normalize(secrets.WooCommerce, "WooCommerce", missing);
        Normalize(secrets.Events, "Events", missing);
        return missing;
    }

    private static void Normalize(WebhookSecret secret, string platform, List<string> missing)
    {
        var setting = $"{WebhookSecrets.SectionName}__{platform}__";
        if (!IsUsable(secret.Secret))
        {
            missing.Add(Describe(setting + "Secret", secret.Secret));
            secret.Secret = null;
        }

        foreach (var (source, value) in secret.Sources.ToArray())
        {
            if (!IsUsable(value))
            {
                missing.Add(Describe($"{setting}Sources__{source}", value));
                secret.Sources.Remove(source);
            }
        }
    }

    private static string Describe(string setting, string? value) =>
        string.IsNullOrWhiteSpace(value) ? $"{setting} (not set)" : $"{setting} (an unresolved Key Vault reference)";
}

/// <summary>Says once, at start-up, which webhook secrets are missing, so a 401 in the logs has its cause next to it.</summary>
internal sealed class WebhookSecretsReport(IReadOnlyList<string> missing, ILogger<WebhookSecretsReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in missing)
        {
            logger.LogWarning("Webhook secret {Setting}: that platform's (or source's) webhooks are answered 401 until it is set", setting);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
