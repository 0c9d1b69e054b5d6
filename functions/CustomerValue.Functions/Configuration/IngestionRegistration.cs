using CustomerValue.Application.PosImports;
using CustomerValue.Application.Webhooks;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Functions.Configuration;

/// <summary>Registers webhook ingestion and POS imports.</summary>
public static class IngestionRegistration
{
    /// <summary>Adds the ingestion services; webhook secrets bind from the <c>Webhooks</c> section.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WebhookPlatforms.Default);
        services.AddSingleton(configuration.GetSection(WebhookSecrets.SectionName).Get<WebhookSecrets>() ?? new WebhookSecrets());
        services.AddSingleton<WebhookIngestor>();
        services.AddSingleton(configuration.GetSection(PosExportSettings.SectionName).Get<PosExportSettings>() ?? new PosExportSettings());
        services.AddSingleton<PosLayoutCatalog>();
        services.AddSingleton<PosExportImporter>();
        return services;
    }
}
