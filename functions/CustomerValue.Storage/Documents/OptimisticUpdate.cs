namespace CustomerValue.Storage.Documents;

/// <summary>
/// Read-modify-write with ETag checks: concurrent writers to one document never lose an update, the loser
/// re-reads and re-applies its change.
/// </summary>
public static class OptimisticUpdate
{
    /// <summary>How often a writer retries after losing a race before giving up.</summary>
    public const int MaxAttempts = 20;

    /// <summary>The longest wait between two attempts, in milliseconds.</summary>
    public const int MaxBackoffMilliseconds = 250;

    /// <summary>
    /// Applies <paramref name="mutate"/> to the current version (null when absent) and writes the result only if
    /// nobody wrote in between. <paramref name="mutate"/> returns null to leave the document untouched; it may run
    /// several times, so it must not have side effects beyond the body it returns.
    /// </summary>
    /// <returns>The stored document after the update, or the unchanged current one (null if absent).</returns>
    public static async Task<StoredDocument<T>?> UpdateAsync<T>(
        this IDocumentStore store,
        string container,
        string id,
        string partitionKey,
        Func<T?, T?> mutate,
        CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(mutate);
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.ReadAsync<T>(container, id, partitionKey, cancellationToken);
            var updated = mutate(current?.Body);
            if (updated is null)
            {
                return current;
            }

            try
            {
                return current is null
                    ? await store.CreateAsync(container, id, partitionKey, updated, cancellationToken)
                    : await store.ReplaceAsync(container, id, partitionKey, updated, current.ETag, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && ex is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
            {
                // Someone else wrote first: back off (full jitter, doubling up to MaxBackoffMilliseconds) and re-apply on
                // their version. A linear back-off kept eight writers of one document in step often enough that one of
                // them lost twenty races in a row against the Cosmos DB emulator.
                await Task.Delay(Random.Shared.Next(1, Math.Min(MaxBackoffMilliseconds, 2 << Math.Min(attempt, 10)) + 1), cancellationToken);
            }
        }
    }
}
