using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// Moves the orders of profiles stored before orders had documents of their own (an <c>orderHistory</c> array on the
/// profile) into the orders container, and gives those profiles their <see cref="OrderTotals"/>. Runs when the store is
/// opened, once: a marker in the runs container records that it finished, so later starts read one document. Each
/// profile moves with one write set checked by its ETag (one transaction on the embedded store), so a crash midway
/// leaves every profile in one shape or the other, and the next start finishes the job. Nothing else reads the old shape.
/// </summary>
public sealed class OrderDocumentMigration(IDocumentStore store)
{
    /// <summary>The marker document's id in the runs container.</summary>
    public const string MarkerId = "migration-order-documents";

    /// <summary>Moves what is left to move; returns how many profiles were moved.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (await store.ReadAsync<MigrationMarker>(ContainerNames.Runs, MarkerId, MarkerId, cancellationToken) is not null)
        {
            return 0;
        }

        var profiles = new ProfileRepository(store);
        var moved = 0;
        await foreach (var document in profiles.ScanAsync(cancellationToken))
        {
            if (document.Body.LegacyOrderHistory is not null)
            {
                try
                {
                    moved += await MoveAsync(profiles, document, cancellationToken) ? 1 : 0;
                }
                catch (OverflowException)
                {
                    // Amounts from before ingestion bounded them, whose totals overflow: the profile keeps its old shape,
                    // and the recompute reports it as one it cannot value (its totals are empty) until it is mended.
                }
            }
        }

        await store.UpsertAsync(ContainerNames.Runs, MarkerId, MarkerId, new MigrationMarker(MarkerId, DateTimeOffset.UtcNow, moved), cancellationToken);
        return moved;
    }

    private static async Task<bool> MoveAsync(ProfileRepository profiles, StoredDocument<CustomerProfile> document, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var profile = document.Body;
            if (profile.LegacyOrderHistory is not { } legacy)
            {
                return false;
            }

            // One document per order key: the newest version wins, as it did on the profile.
            var orders = legacy.GroupBy(o => o.OrderKey, StringComparer.Ordinal)
                .Select(g => g.Aggregate((held, next) => OrderVersionMerge.Merge(held, next) ?? held)).ToList();
            profile.OrderTotals = OrderTotals.Of(orders);
            profile.LegacyOrderHistory = null;
            try
            {
                await profiles.WriteAsync([ProfileOrders.Profile(profile, document.ETag), .. orders.Select(o => ProfileOrders.Put(profile.Id, o))], cancellationToken);
                return true;
            }
            catch (DocumentPreconditionFailedException) when (attempt < OptimisticUpdate.MaxAttempts)
            {
                document = await profiles.ReadAsync(document.Id, cancellationToken) ?? throw new InvalidOperationException($"Profile '{document.Id}' vanished while its orders moved.");
            }
        }
    }

    /// <summary>Records that the migration finished.</summary>
    /// <param name="Id">The marker id.</param>
    /// <param name="FinishedAt">When it finished.</param>
    /// <param name="ProfilesMoved">How many profiles it moved.</param>
    public sealed record MigrationMarker(string Id, DateTimeOffset FinishedAt, int ProfilesMoved);
}
