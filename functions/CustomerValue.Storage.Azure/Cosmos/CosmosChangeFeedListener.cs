using System.Text.Json;
using CustomerValue.Storage.Documents;
using Microsoft.Azure.Cosmos;

namespace CustomerValue.Storage.Azure.Cosmos;

/// <summary>How <see cref="CosmosChangeFeedListener"/> consumes a container's change feed.</summary>
public sealed record CosmosChangeFeedListenerOptions
{
    /// <summary>The container whose changes are delivered.</summary>
    public string MonitoredContainer { get; init; } = ContainerNames.Profiles;

    /// <summary>The container that holds the leases (partitioned on <c>/id</c>, like the trigger's).</summary>
    public string LeaseContainer { get; init; } = ContainerNames.Leases;

    /// <summary>
    /// The processor name: leases are per name, so a different name from the Functions trigger's keeps the two from
    /// sharing (or stealing) progress.
    /// </summary>
    public string ProcessorName { get; init; } = "local-PublishSegmentChanges";

    /// <summary>This instance's name (leases are balanced across instances of one processor).</summary>
    public string InstanceName { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Deliver everything already in the container when no lease exists yet (the trigger's <c>startFromBeginning</c>).</summary>
    public bool StartFromBeginning { get; init; }

    /// <summary>The most documents in one batch (the trigger's <c>maxItemsPerInvocation</c>).</summary>
    public int MaxItemsPerInvocation { get; init; } = 100;

    /// <summary>How long to wait before polling again once the feed is drained (the trigger's <c>feedPollDelay</c>).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Local mode's Cosmos DB trigger: the SDK's change feed processor on a container, with its leases in the leases
/// container, handing each batch on as the JSON array of the changed documents exactly as stored (id, pk, _etag,
/// _lsn, _ts ...) — the shape the Functions host binds for a cosmosDBTrigger, so the batch can be posted to
/// PublishSegmentChanges unchanged. A batch whose handler throws is not checkpointed and is delivered again
/// (at least once, as with the trigger's retry policy), so the handler must be idempotent.
/// </summary>
public sealed class CosmosChangeFeedListener : IAsyncDisposable
{
    private readonly ChangeFeedProcessor _processor;
    private bool _started;

    private CosmosChangeFeedListener(ChangeFeedProcessor processor) => _processor = processor;

    /// <summary>Builds and starts the processor.</summary>
    /// <param name="store">The store whose database holds both containers.</param>
    /// <param name="options">Containers, names and batching.</param>
    /// <param name="onBatch">Receives the JSON array text of one batch and its document count.</param>
    public static async Task<CosmosChangeFeedListener> StartAsync(
        CosmosDocumentStore store,
        CosmosChangeFeedListenerOptions options,
        Func<string, int, CancellationToken, Task> onBatch)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxItemsPerInvocation);

        var monitored = store.Database.GetContainer(options.MonitoredContainer);
        var leases = store.Database.GetContainer(options.LeaseContainer);
        var builder = monitored
            .GetChangeFeedProcessorBuilder(options.ProcessorName, async (ChangeFeedProcessorContext _, Stream changes, CancellationToken cancellationToken) =>
            {
                using var page = await JsonDocument.ParseAsync(changes, cancellationToken: cancellationToken);
                if (page.RootElement.TryGetProperty("Documents", out var documents) && documents.GetArrayLength() > 0)
                {
                    await onBatch(documents.GetRawText(), documents.GetArrayLength(), cancellationToken);
                }
            })
            .WithInstanceName(options.InstanceName)
            .WithLeaseContainer(leases)
            .WithMaxItems(options.MaxItemsPerInvocation)
            .WithPollInterval(options.PollInterval);
        if (options.StartFromBeginning)
        {
            builder = builder.WithStartTime(DateTime.MinValue.ToUniversalTime());
        }

        var listener = new CosmosChangeFeedListener(builder.Build());
        await listener._processor.StartAsync();
        listener._started = true;
        return listener;
    }

    /// <summary>Stops the processor, releasing its leases for other instances.</summary>
    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            await _processor.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
