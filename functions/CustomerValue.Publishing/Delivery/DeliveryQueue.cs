using System.Security.Cryptography;
using System.Text;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// The per-destination queues: batches of changes in the <c>outbound</c> container, partition key = destination, each
/// read in order through the change feed of its own partition from its own position (in its
/// <see cref="DestinationState"/>). Store documents rather than Storage queues: the same code runs on the embedded
/// store and Cosmos DB, a destination can be replayed from its position, and order within a destination is kept
/// (a Storage queue does not promise order, and a left overtaking its joined would leave a person in an audience).
/// </summary>
public sealed class DeliveryQueue(IDocumentStore store, TimeProvider clock)
{
    /// <summary>
    /// Changes per queue document: a change with its hashed identifiers is about 400 bytes of JSON, so a document
    /// of about 60 KB stays below the runtime's large-object threshold (85,000 bytes) in the common case of one
    /// e-mail and one phone; written and read as large objects, they would trigger full garbage collections all
    /// through a fan-out. Far below Cosmos DB's 2 MB either way.
    /// </summary>
    public const int MaxChangesPerDocument = 150;

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

    /// <summary>
    /// Reads the next page of <paramref name="destination"/>'s queue after <paramref name="position"/> (null: from the
    /// start of its queue): the change feed of the destination's partition only, so a destination never reads the other
    /// destinations' documents. <c>More</c> is true when the page was full.
    /// </summary>
    public async Task<(IReadOnlyList<OutboundBatch> Batches, string Position, bool More)> ReadAsync(string destination, string? position, int maxDocuments, CancellationToken cancellationToken)
    {
        var page = await store.ReadPartitionChangeFeedAsync<OutboundBatch>(ContainerNames.Outbound, destination, position, maxDocuments, cancellationToken);
        return ([.. page.Documents.Select(d => d.Body)], page.Continuation, page.Documents.Count == maxDocuments);
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
}
