using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.PublishSegmentChanges;
using CustomerValue.Functions.Host;
using CustomerValue.Storage.Azure.Cosmos;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the Cosmos DB trigger when the app runs outside Azure against a Cosmos DB account or emulator:
/// the SDK's change feed processor (leases in the <c>leases</c> container, as the trigger keeps them) hands each batch
/// to PublishSegmentChanges through its handler route with the host's payload shape. A failed invocation fails the
/// batch, and the processor delivers it again.
/// </summary>
public sealed class CosmosChangeFeedPump(CosmosDocumentStore store, LocalTriggerClient triggers, ServerSettings settings, ILogger<CosmosChangeFeedPump> logger) : IHostedService, IAsyncDisposable
{
    private CosmosChangeFeedListener? _listener;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = await CosmosChangeFeedListener.StartAsync(store, new CosmosChangeFeedListenerOptions { StartFromBeginning = true, PollInterval = settings.ChangeFeedPollInterval }, async (documents, count, ct) =>
        {
            var payload = HostPayloads.CosmosDocuments(PublishSegmentChangesFunction.DocumentsBinding, PublishSegmentChangesFunction.Name, documents);
            var (status, body) = await triggers.InvokeAsync(PublishSegmentChangesFunction.Name, payload, ct);
            if (status is < 200 or > 299)
            {
                logger.LogWarning("PublishSegmentChanges answered {Status} for {Count} documents; the batch will be delivered again", status, count);
                throw new InvalidOperationException($"{PublishSegmentChangesFunction.Name} answered {status}: {body}");
            }
        });
        logger.LogInformation("Consuming the Cosmos DB change feed of profiles with the change feed processor");
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            await _listener.StopAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }
    }
}
