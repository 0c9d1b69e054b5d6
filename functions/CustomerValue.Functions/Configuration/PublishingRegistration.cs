using Azure.Identity;
using Azure.Storage.Queues;
using CustomerValue.Publishing.Changes;
using CustomerValue.Publishing.Destinations;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// Where segment changes go. On Azure: the Storage queue <c>segment-changes</c>, configured like the Functions host's
/// own connections — <c>SegmentChanges__queueServiceUri</c> (managed identity; what infra/main.bicep sets) or
/// <c>SegmentChanges</c> (a connection string, e.g. Azurite's) — with <c>SegmentChanges:QueueName</c> to rename it.
/// Without either, the outbox file in the data folder, which only makes sense where that folder outlives the process:
/// so under the Functions host (whose instances' disks are temporary) a missing queue setting stops the start-up
/// instead of publishing changes into a file nobody will read.
/// </summary>
public static class PublishingRegistration
{
    /// <summary>The connection setting (the host's <c>connection</c> naming convention).</summary>
    public const string ConnectionSetting = "SegmentChanges";

    /// <summary>Adds the destinations and the publisher.</summary>
    /// <exception cref="InvalidOperationException">Hosted by the Functions host without a queue configured.</exception>
    public static IServiceCollection AddSegmentPublishing(this IServiceCollection services, IConfiguration configuration, ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var queueName = configuration[$"{ConnectionSetting}:QueueName"] is { Length: > 0 } name ? name : StorageQueueDestination.DefaultQueueName;
        var connectionString = configuration[ConnectionSetting];
        var serviceUri = configuration[$"{ConnectionSetting}:queueServiceUri"];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var destination = new StorageQueueDestination(new QueueClient(connectionString, queueName));
            services.AddSingleton<ISegmentDestination>(destination);
            // A connection string means an emulator or a developer's account: create the queue there. Under managed
            // identity the infrastructure has created it, and the app is only granted to send.
            services.AddHostedService(_ => new QueueInitializer(destination));
        }
        else if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            var queue = new QueueServiceClient(new Uri(serviceUri), new DefaultAzureCredential()).GetQueueClient(queueName);
            services.AddSingleton<ISegmentDestination>(new StorageQueueDestination(queue));
        }
        else if (settings.Hosted)
        {
            throw new InvalidOperationException(
                $"No segment-change queue is configured: set {ConnectionSetting}__queueServiceUri (managed identity) or {ConnectionSetting} (a connection string). " +
                "Under the Functions host the local outbox file would be lost with the instance.");
        }
        else
        {
            services.AddSingleton<ISegmentDestination>(_ => new OutboxFileDestination(settings.OutboxFolder));
        }

        services.AddSingleton<SegmentChangePublisher>();
        return services;
    }

    private sealed class QueueInitializer(StorageQueueDestination destination) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => destination.EnsureQueueAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
