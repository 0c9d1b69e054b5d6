using System.Text;
using Azure.Storage.Queues;
using CustomerValue.Domain.Segments;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Destinations;

/// <summary>
/// The default destination on Azure: every change is one message on the Azure Storage queue
/// <see cref="DefaultQueueName"/>, durable once this returns and readable by any other system (a function with a
/// queue trigger, a Logic App, a worker). A queue rather than an Event Grid topic: it holds changes until a consumer
/// takes them (messages are sent without expiry) instead of dropping them when no one subscribes, and it can be tested
/// against Azurite.
/// <para>
/// The message is the change's JSON (the same document the outbox file holds, one per line), base64-encoded as the
/// Functions queue trigger expects by default; so the client must send text as given
/// (<see cref="QueueMessageEncoding.None"/>, the default). Queues do not promise order: consumers use
/// <see cref="SegmentChange.OccurredAt"/> and drop repeats by <see cref="SegmentChange.EventId"/>.
/// </para>
/// </summary>
public sealed class StorageQueueDestination : ISegmentDestination
{
    /// <summary>The queue the infrastructure creates (infra/modules/storage.bicep).</summary>
    public const string DefaultQueueName = "segment-changes";

    private readonly QueueClient _queue;

    // A message that never expires: the queue's default of seven days would silently drop changes that a consumer
    // paused for a week never read.
    private static readonly TimeSpan NoExpiry = TimeSpan.FromSeconds(-1);

    /// <summary>Sends to <paramref name="queue"/>, which must use <see cref="QueueMessageEncoding.None"/>.</summary>
    public StorageQueueDestination(QueueClient queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        _queue = queue;
    }

    /// <inheritdoc />
    public string Name => "queue:" + _queue.Name;

    /// <summary>Creates the queue when it does not exist (for emulators; in Azure the infrastructure creates it).</summary>
    public Task EnsureQueueAsync(CancellationToken cancellationToken = default) => _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <inheritdoc />
    public async Task DeliverAsync(IReadOnlyList<SegmentChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            await _queue.SendMessageAsync(Encode(change), visibilityTimeout: null, timeToLive: NoExpiry, cancellationToken);
        }
    }

    /// <summary>The message text of <paramref name="change"/>: its JSON, UTF-8, base64.</summary>
    public static string Encode(SegmentChange change) => Convert.ToBase64String(Encoding.UTF8.GetBytes(DocumentJson.Serialize(change)));
}
