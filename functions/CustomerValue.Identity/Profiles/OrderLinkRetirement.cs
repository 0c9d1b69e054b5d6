using CustomerValue.Domain.Identities;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// Removes the order links that older versions kept in the identities container (one document per order, naming the
/// profile that held it). The holder of an order is now found from the order's own document by its id
/// (<see cref="ProfileOrders.HoldersAsync"/>), so the links only cost space and a write per new order. Runs when the
/// store is opened, after <see cref="OrderDocumentMigration"/> and before anything reads; a marker in the runs container
/// records that it finished, so later starts read one document. Deleting is idempotent: a crash midway is finished by
/// the next start.
/// </summary>
public sealed class OrderLinkRetirement(IDocumentStore store)
{
    /// <summary>The marker document's id in the runs container.</summary>
    public const string MarkerId = "migration-order-links-retired";

    /// <summary>Deletes what is left of the order links; returns how many it deleted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (await store.ReadAsync<OrderDocumentMigration.MigrationMarker>(ContainerNames.Runs, MarkerId, MarkerId, cancellationToken) is not null)
        {
            return 0;
        }

        // Collected first: deleting while the scan pages through the same container could skip documents.
        var orderLinks = new List<string>();
        await foreach (var link in store.ScanAsync<IdentityLink>(ContainerNames.Identities, cancellationToken))
        {
            if (link.Id.StartsWith(IdentityLinkIndex.OrderLinkPrefix, StringComparison.Ordinal))
            {
                orderLinks.Add(link.Id);
            }
        }

        foreach (var chunk in orderLinks.Chunk(500))
        {
            await Task.WhenAll(chunk.Select(id => store.DeleteAsync(ContainerNames.Identities, id, id, cancellationToken)));
        }

        await store.UpsertAsync(ContainerNames.Runs, MarkerId, MarkerId, new OrderDocumentMigration.MigrationMarker(MarkerId, DateTimeOffset.UtcNow, orderLinks.Count), cancellationToken);
        return orderLinks.Count;
    }
}
