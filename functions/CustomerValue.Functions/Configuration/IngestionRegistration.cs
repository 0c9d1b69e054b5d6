using CustomerValue.Application.PosImports;
using CustomerValue.Application.Webhooks;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Functions.Configuration;

/// <summary>Registers webhook ingestion and POS imports.</summary>
public static class IngestionRegistration
{
    /// <summary>
    /// Adds the ingestion services; webhook secrets bind from the <c>Webhooks</c> section, with empty values and
    /// unresolved Key Vault references treated as not configured (<see cref="WebhookSecretSettings"/>) and logged once
    /// at start-up.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WebhookPlatforms.Default);
        var secrets = configuration.GetSection(WebhookSecrets.SectionName).Get<WebhookSecrets>() ?? new WebhookSecrets();
        var missing = WebhookSecretSettings.Normalize(secrets);
        services.AddSingleton(secrets);
        services.AddHostedService(sp => new WebhookSecretsReport(missing, sp.GetRequiredService<ILogger<WebhookSecretsReport>>()));
        services.AddSingleton<WebhookIngestor>();
        services.AddSingleton((configuration.GetSection(PosExportSettings.SectionName).Get<PosExportSettings>() ?? new PosExportSettings()).Validated());
        services.AddSingleton<PosLayoutCatalog>();
        services.AddSingleton<PosExportImporter>();
        return services;
    }
}
