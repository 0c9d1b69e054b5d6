using Azure.Identity;
using Azure.Storage.Blobs;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Publishing.Platforms.Files;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// The delivery pipeline's destinations, from <c>Destinations:&lt;name&gt;:…</c> (environment variables
/// <c>Destinations__&lt;name&gt;__Type</c>, lists <c>Segments__0</c>, <c>Segments__1</c>, …): each with its
/// <c>Type</c>, <c>Segments</c>, <c>MaxAttempts</c>, <c>DeliveryInterval</c> and its kind's own settings; secrets
/// are Key Vault references in Azure. Holdouts come from <c>Segments:&lt;segment&gt;:HoldoutShare</c> and from custom
/// segments' definitions (<c>holdoutShare</c>). A destination
/// whose settings are incomplete stops the start-up with the missing setting named, rather than failing every delivery.
/// </summary>
public static class DestinationRegistration
{
    /// <summary>Registers the routing, each destination with its HTTP client, and the delivery pipeline.</summary>
    public static IServiceCollection AddDestinations(this IServiceCollection services, IConfiguration configuration, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var destinations = services.AddAudienceDestinations(configuration, destination => FileStore(destination, configuration, settings));
        // Custom segments keep their holdouts in their definitions: the routing reads them through the catalog.
        services.AddSingleton<ICustomSegmentHoldouts, CustomSegmentHoldouts>();
        // Built at start-up, so a destination missing a setting stops the app with the setting named instead of
        // failing the first delivery round of every destination.
        services.AddHostedService<DestinationValidator>();
        if (settings.LocalMode && destinations.Count > 0)
        {
            services.AddSingleton<DeliveryPump>();
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryPump>());
        }

        return services;
    }

    /// <summary>
    /// Audience files go to the blob container <c>Container</c> of the storage account the POS exports use
    /// (<c>PosExportStorage</c> or <c>PosExportStorage:blobServiceUri</c>), or locally to <c>&lt;data&gt;/audiences/&lt;Container&gt;</c>.
    /// </summary>
    private static IAudienceFileStore FileStore(DestinationSettings destination, IConfiguration configuration, ServerSettings settings)
    {
        var container = destination.Value("Container") ?? "audiences";
        if (configuration["PosExportStorage"] is { Length: > 0 } connection)
        {
            return new BlobAudienceFileStore(new BlobServiceClient(connection).GetBlobContainerClient(container));
        }

        if (configuration["PosExportStorage:blobServiceUri"] is { Length: > 0 } uri)
        {
            return new BlobAudienceFileStore(new BlobServiceClient(new Uri(uri), new DefaultAzureCredential()).GetBlobContainerClient(container));
        }

        return new FolderAudienceFileStore(Path.Combine(settings.DataDir, "audiences", container));
    }
}

/// <summary>Creates every destination once at start-up (their constructors check their settings).</summary>
internal sealed class DestinationValidator(IEnumerable<IAudienceDestination> destinations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = destinations.ToList();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
