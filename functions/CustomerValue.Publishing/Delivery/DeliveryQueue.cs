using System.Security.Cryptography;
using System.Text;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// The per-destination queues: batches of changes in the <c>outbound</c> container, partition key = destination, read
/// in order through the container's change feed, each destination with its own position (in its
/// <see cref="DestinationState"/>). Store documents rather than Storage queues: the same code runs on the embedded
/// store and Cosmos DB, a destination can be replayed from its position, and order within a destination is kept
/// (a Storage queue does not promise order, and a left overtaking its joined would leave a person in an audience).
/// </summary>
public sealed class DeliveryQueue(IDocumentStore store, TimeProvider clock)
{
    /// <summary>
    /// Changes per queue document: about 1 KB each with identifiers, so a document stays far below Cosmos DB's 2 MB.
    /// </summary>
    public const int MaxChangesPerDocument = 500;

    /// <summary>Queues changes for a destination, in order. Queuing the same changes again rewrites the same documents.</summary>
    public Task EnqueueAsync(string destination, IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default) =>
        EnqueueAsync(destination, changes, netted: false, cancellationToken);

    /// <summary>
    /// Queues changes for a destination. <paramref name="netted"/> says the changes hold at most one change per person
    /// and segment, so their documents may reach the feed in any order and are written together (one commit on the
    /// embedded store, requests in flight together on Cosmos DB); otherwise each document is written after the one before.
    /// </summary>
    public async Task EnqueueAsync(string destination, IReadOnlyList<OutboundChange> changes, bool netted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var batches = changes.Chunk(MaxChangesPerDocument)
            .Select(chunk => new OutboundBatch { Id = BatchId(destination, chunk), Destination = destination, Changes = chunk, EnqueuedAt = clock.GetUtcNow() })
            .ToList();
        if (netted)
        {
            await Task.WhenAll(batches.Select(b => store.UpsertAsync(ContainerNames.Outbound, b.Id, destination, b, cancellationToken)));
            return;
        }

        foreach (var batch in batches)
        {
            await store.UpsertAsync(ContainerNames.Outbound, batch.Id, destination, batch, cancellationToken);
        }
    }

    /// <summary>Reads the next page of the queues after <paramref name="continuation"/>, keeping only <paramref name="destination"/>'s batches.</summary>
    public async Task<(IReadOnlyList<OutboundBatch> Batches, string Continuation, bool More)> ReadAsync(string destination, string? continuation, int maxDocuments, CancellationToken cancellationToken)
    {
        // Every destination reads the one feed of the container: documents of other destinations are read as a bare
        // id (nothing of their changes is materialised), and this destination's own are then read in full by id.
        var page = await store.ReadChangeFeedAsync<QueueEntry>(ContainerNames.Outbound, continuation, maxDocuments, cancellationToken);
        var mine = new List<OutboundBatch>();
        foreach (var entry in page.Documents.Where(d => string.Equals(d.PartitionKey, destination, StringComparison.Ordinal)))
        {
            // Gone since the page was read: delivered by another round, or dead-lettered.
            if (await store.ReadAsync<OutboundBatch>(ContainerNames.Outbound, entry.Id, destination, cancellationToken) is { } batch)
            {
                mine.Add(batch.Body);
            }
        }

        return (mine, page.Continuation, page.Documents.Count == maxDocuments);
    }

    /// <summary>Deletes delivered batches (the change feed does not report deletes, so positions are unaffected).</summary>
    public async Task RemoveAsync(string destination, IEnumerable<OutboundBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        // Delivered already and independent of each other: deleted together.
        await Task.WhenAll(batches.Select(b => store.DeleteAsync(ContainerNames.Outbound, b.Id, destination, cancellationToken)));
    }

    /// <summary>A deterministic id from the destination and the event ids.</summary>
    public static string BatchId(string destination, IEnumerable<OutboundChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var text = new StringBuilder(destination);
        foreach (var change in changes)
        {
            text.Append('|').Append(change.Change.EventId);
        }

        return "b-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    /// <summary>What the feed is read as: only the id (the partition key comes with every stored document).</summary>
    private sealed record QueueEntry(string Id);
}
