using Azure.Identity;
using Azure.Storage.Blobs;
using CustomerValue.Functions.Functions.IngestShopWebhook;
using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Privacy;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Storage.Azure.Blobs;
using CustomerValue.Storage.Azure.Cosmos;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Functions.Configuration;

/// <summary>The composition root: which implementation of each part runs, chosen from configuration.</summary>
public static class ServiceRegistration
{
    /// <summary>
    /// The key of the store implementation itself (SQLite or Cosmos DB), under the retries the app resolves as
    /// <see cref="IDocumentStore"/>; a test wraps this registration to simulate a failing store beneath the retries.
    /// </summary>
    public const string StoreBackendKey = "store-backend";

    /// <summary>Registers every service of the app.</summary>
    public static IServiceCollection AddCustomerValue(this IServiceCollection services, IConfiguration configuration, ServerSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        // A release also empties the embedded store's caches (C memory outside the managed heap).
        services.AddSingleton(sp => new MemoryRelease(configuration, sp.GetRequiredService<ILogger<MemoryRelease>>(),
            () => (sp.GetKeyedService<IDocumentStore>(StoreBackendKey) as SqliteDocumentStore)?.ReleaseMemory()));
        services.ConfigureHttpJsonOptions(o =>
        {
            foreach (var converter in Storage.Documents.DocumentJson.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });

        var cosmos = CosmosOptions(configuration);
        if (cosmos is null)
        {
            services.AddKeyedSingleton<IDocumentStore>(StoreBackendKey, (_, _) => new SqliteDocumentStore(settings.DatabasePath));
        }
        else
        {
            services.AddSingleton(_ => new CosmosDocumentStore(cosmos));
            services.AddKeyedSingleton<IDocumentStore>(StoreBackendKey, (sp, _) => sp.GetRequiredService<CosmosDocumentStore>());
        }

        // Everything uses the store through bounded retries of transient failures (Store:TransientRetries).
        services.AddSingleton<IDocumentStore>(sp => TransientStoreRetries.FromConfiguration(sp.GetRequiredKeyedService<IDocumentStore>(StoreBackendKey), configuration));

        services.AddSingleton(_ => CreateExportStorage(configuration, settings));
        // Registered first: hosted services start in order, and the local triggers read the store.
        services.AddHostedService<StoreInitializer>();

        var identity = configuration.GetSection("Identity").Get<IdentityOptions>() ?? new IdentityOptions();
        services.AddSingleton(identity);
        services.AddSingleton<IdentityNormalizer>();
        services.AddSingleton(IdentityLookupKey.Load(configuration, settings));
        services.AddSingleton<ProfileRepository>();
        services.AddSingleton<IdentityLinkIndex>();
        services.AddSingleton<ProfileQueries>();
        services.AddSingleton<ProfileMerger>();
        services.AddSingleton<ProfileResolver>();
        services.AddSingleton<ProfileBatchApplier>();
        services.AddSingleton<ProfileEraser>();

        services.AddIngestion(configuration);
        services.AddWebhookRateLimiting(configuration);
        services.AddSingleton<WebhookBodyGate>();

        services.AddSegmentation(configuration);
        services.AddSegmentPublishing(configuration, settings);
        services.AddDestinations(configuration, settings);

        services.AddHttpClient(LocalTriggerClient.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(30));
        services.AddSingleton<LocalTriggerClient>();
        services.AddSingleton<RecomputeSchedule>();
        services.AddSingleton<RecomputeTrigger>();
        if (settings.LocalMode && cosmos is not null)
        {
            services.AddHostedService<CosmosChangeFeedPump>();
        }
        else if (settings.LocalMode)
        {
            services.AddSingleton<ChangeFeedPump>();
            services.AddHostedService(sp => sp.GetRequiredService<ChangeFeedPump>());
        }

        if (settings.LocalMode)
        {
            services.AddSingleton<PosExportInboxWatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<PosExportInboxWatcher>());
            services.AddSingleton<RecomputeScheduler>();
            services.AddHostedService(sp => sp.GetRequiredService<RecomputeScheduler>());
        }

        return services;
    }

    /// <summary>
    /// Cosmos DB when the connection the change-feed trigger uses is configured — <c>CosmosDb</c> (a key connection
    /// string) or <c>CosmosDb__accountEndpoint</c> (managed identity) — otherwise the embedded store.
    /// <c>CosmosDb:DatabaseName</c> names the database; <c>CosmosDb:CreateIfMissing</c> lets the app create it (never
    /// under managed identity in Azure, where the infrastructure creates containers). <c>CosmosDb:AllowBulk</c> turns on
    /// the SDK's bulk execution for large recompute write-backs. For an emulator outside Azure:
    /// <c>CosmosDb:GatewayMode</c>, <c>CosmosDb:LimitToEndpoint</c> and <c>CosmosDb:TrustedCertificatePath</c> (its
    /// self-signed certificate, PEM).
    /// </summary>
    private static CosmosStoreOptions? CosmosOptions(IConfiguration configuration)
    {
        var options = CosmosStoreOptions.FromSettings(key => configuration[key]);
        return options is null ? null : options with
        {
            DatabaseName = configuration["CosmosDb:DatabaseName"] is { Length: > 0 } database ? database : options.DatabaseName,
            CreateIfMissing = configuration.GetValue("CosmosDb:CreateIfMissing", options.CreateIfMissing),
            AllowBulk = configuration.GetValue("CosmosDb:AllowBulk", options.AllowBulk),
            GatewayMode = configuration.GetValue("CosmosDb:GatewayMode", options.GatewayMode),
            LimitToEndpoint = configuration.GetValue("CosmosDb:LimitToEndpoint", options.LimitToEndpoint),
            TrustedCertificatePath = configuration["CosmosDb:TrustedCertificatePath"] is { Length: > 0 } pem ? pem : null,
        };
    }

    /// <summary>
    /// Blob Storage when <c>PosExportStorage</c> (a connection string) or <c>PosExportStorage:blobServiceUri</c>
    /// (managed identity, as the Functions host's identity-based connections are written) is configured; otherwise the
    /// folder inbox in the data folder.
    /// </summary>
    private static IPosExportStorage CreateExportStorage(IConfiguration configuration, ServerSettings settings)
    {
        var connectionString = configuration["PosExportStorage"];
        var serviceUri = configuration["PosExportStorage:blobServiceUri"];
        BlobServiceClient? service = null;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            service = new BlobServiceClient(connectionString);
        }
        else if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            service = new BlobServiceClient(new Uri(serviceUri), new DefaultAzureCredential());
        }

        return service is null
            ? new FolderPosExportStorage(settings.InboxFolder)
            : new BlobPosExportStorage(service.GetBlobContainerClient(BlobPosExportStorage.ExportsContainer), service.GetBlobContainerClient(BlobPosExportStorage.ReportsContainer));
    }
}

/// <summary>Creates the store's containers before the first request.</summary>
internal sealed class StoreInitializer(IDocumentStore store, IPosExportStorage exports) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        // Profiles stored with their orders inside are moved to the orders container before anything reads them.
        await new CustomerValue.Identity.Profiles.OrderDocumentMigration(store).RunAsync(cancellationToken);
        // Then the order links of older versions go: orders are found by their own documents now.
        await new CustomerValue.Identity.Profiles.OrderLinkRetirement(store).RunAsync(cancellationToken);
        if (exports is BlobPosExportStorage blobs)
        {
            await blobs.EnsureContainersAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
