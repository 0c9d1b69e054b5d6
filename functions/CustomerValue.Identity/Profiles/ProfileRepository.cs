using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The profiles container: one document per person, addressed by its id (which is also its partition key). Every
/// write is a read-modify-write checked by ETag, so concurrent writers never lose an update. A merged-away profile
/// stays as a redirect to its survivor, and <see cref="FollowRedirectsAsync"/> finds where an id lives now.
/// Every write that changes a profile's facts goes through <see cref="UpdateAsync"/>, which is also where the
/// <see cref="IProfileRefresher"/> (the real-time value and segments) joins the same write.
/// </summary>
public sealed class ProfileRepository(IDocumentStore store, IProfileRefresher? refresher = null)
{
    /// <summary>The store, for the set-wise resolution of a batch.</summary>
    internal IDocumentStore Store => store;

    /// <summary>The orders of profiles (kept beside them, one document per order).</summary>
    public ProfileOrders Orders { get; } = new(store);

    /// <summary>Redirects followed before a chain is declared broken (merges chain only a few deep in practice).</summary>
    public const int MaxRedirectHops = 16;

    /// <summary>Point read of one profile document, redirect or not; null when absent.</summary>
    public Task<StoredDocument<CustomerProfile>?> ReadAsync(string profileId, CancellationToken cancellationToken = default) =>
        store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, profileId, profileId, cancellationToken);

    /// <summary>
    /// Read-modify-write of one profile with ETag checks (see <see cref="OptimisticUpdate"/>): <paramref name="mutate"/>
    /// gets the current version (null when absent), returns null to leave it, and may run several times. A version it
    /// returns is refreshed by the <see cref="IProfileRefresher"/>, if one is wired, before it is written.
    /// </summary>
    public async Task<StoredDocument<CustomerProfile>?> UpdateAsync(string profileId, Func<CustomerProfile?, CustomerProfile?> mutate, CancellationToken cancellationToken = default)
    {
        var refresh = refresher is null ? null : await refresher.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await store.UpdateAsync(ContainerNames.Profiles, profileId, profileId,
            refresh is null ? mutate : current => mutate(current) is { } next ? refresh(next) : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces exactly the version <paramref name="ifMatch"/>; throws <see cref="DocumentPreconditionFailedException"/> when it changed.</summary>
    public Task<StoredDocument<CustomerProfile>> ReplaceAsync(CustomerProfile profile, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return store.ReplaceAsync(ContainerNames.Profiles, profile.Id, profile.Id, profile, ifMatch, cancellationToken);
    }

    /// <summary>
    /// Writes a profile together with its orders (<see cref="ProfileOrders.Profile"/> first, then the order writes): one
    /// transaction on the embedded store; on Cosmos DB the profile's ETag check goes first and the orders follow. Every
    /// profile in the set is refreshed by the <see cref="IProfileRefresher"/>, if one is wired, as in
    /// <see cref="UpdateAsync"/>: a new order changes the real-time value and segments in the same write.
    /// </summary>
    public async Task<IReadOnlyList<string?>> WriteAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var refresh = refresher is null ? null : await refresher.PrepareAsync(cancellationToken).ConfigureAwait(false);
        if (refresh is not null)
        {
            writes = [.. writes.Select(w => w.Container == ContainerNames.Profiles && w.Body is CustomerProfile profile ? w with { Body = refresh(profile) } : w)];
        }

        return await store.WriteAllAsync(writes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every profile document, redirects and erased ones included (the recompute's and redaction's scan).</summary>
    public IAsyncEnumerable<StoredDocument<CustomerProfile>> ScanAsync(CancellationToken cancellationToken = default) =>
        store.ScanAsync<CustomerProfile>(ContainerNames.Profiles, cancellationToken);

    /// <summary>Every order document of every profile (the partition key is the profile id): for rare, offline redaction.</summary>
    public IAsyncEnumerable<StoredDocument<OrderRecord>> ScanOrdersAsync(CancellationToken cancellationToken = default) =>
        store.ScanAsync<OrderRecord>(ContainerNames.Orders, cancellationToken);

    /// <summary>The id of the live profile that <paramref name="profileId"/> resolves to through merge redirects; null when there is none.</summary>
    /// <exception cref="InvalidOperationException">The redirects run in a circle or deeper than <see cref="MaxRedirectHops"/>.</exception>
    public async Task<string?> FollowRedirectsAsync(string profileId, CancellationToken cancellationToken = default) =>
        (await FindLiveAsync(profileId, cancellationToken))?.Id;

    /// <summary>The live profile that <paramref name="profileId"/> resolves to through merge redirects; null when there is none.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindLiveAsync(string profileId, CancellationToken cancellationToken = default)
    {
        var id = profileId;
        for (var hop = 0; hop < MaxRedirectHops; hop++)
        {
            var profile = await ReadAsync(id, cancellationToken);
            if (profile?.Body.MergedInto is not { } next)
            {
                return profile;
            }

            id = next;
        }

        throw new InvalidOperationException($"Profile '{profileId}' redirects more than {MaxRedirectHops} times.");
    }
}
