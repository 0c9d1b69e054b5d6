using CustomerValue.Domain.Identities;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The identities container: which profile owns an identity (document id = <see cref="LookupId"/>, a keyed hash, so no
/// e-mail or phone appears in it or can be recovered from it). Point reads and writes only; links are created or replaced
/// by ETag where two writers may race. Which profile holds an order is found from the order's own document
/// (<see cref="ProfileOrders.HoldersAsync"/>); the order links older versions kept here (<see cref="OrderLinkId"/>) are
/// removed when the store opens (<see cref="OrderLinkRetirement"/>).
/// </summary>
public sealed class IdentityLinkIndex(IDocumentStore store, IdentityLookupIds lookupIds)
{
    /// <summary>The id an identity's link is stored under (see <see cref="IdentityLookupIds"/>).</summary>
    public string LookupId(IdentityKey key) => lookupIds.For(key);

    /// <summary>Every id a link of the identity may be stored under: the keyed id, then the unkeyed one of older data.</summary>
    public IReadOnlyList<string> LookupIds(IdentityKey key) => [lookupIds.For(key), key.LookupId];

    /// <summary>
    /// The link of an identity: under its keyed id, or else under the unkeyed id of data stored before keyed ids (the
    /// document's <see cref="StoredDocument{T}.Id"/> tells which); null when nobody owns it.
    /// </summary>
    public async Task<StoredDocument<IdentityLink>?> ReadAsync(IdentityKey key, CancellationToken cancellationToken = default) =>
        await ReadAsync(LookupId(key), cancellationToken) ?? await ReadAsync(key.LookupId, cancellationToken);

    /// <summary>The id under which older versions linked an order to the profile holding it (no longer written).</summary>
    public static string OrderLinkId(string orderKey) => OrderLinkPrefix + IdentityKey.Sha256Hex(orderKey)[..40];

    /// <summary>How the ids of those order links begin; no identity's lookup id begins so.</summary>
    public const string OrderLinkPrefix = "order-";

    /// <summary>The link of one lookup id; null when nobody owns it.</summary>
    public Task<StoredDocument<IdentityLink>?> ReadAsync(string lookupId, CancellationToken cancellationToken = default) =>
        store.ReadAsync<IdentityLink>(ContainerNames.Identities, lookupId, lookupId, cancellationToken);

    /// <summary>Creates a link; throws <see cref="DocumentConflictException"/> when another writer created it first.</summary>
    public Task CreateAsync(IdentityLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return store.CreateAsync(ContainerNames.Identities, link.Id, link.Id, link, cancellationToken);
    }

    /// <summary>Re-points a link read as version <paramref name="ifMatch"/>; throws when it changed since.</summary>
    public Task ReplaceAsync(IdentityLink link, string ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        return store.ReplaceAsync(ContainerNames.Identities, link.Id, link.Id, link, ifMatch, cancellationToken);
    }

    /// <summary>Deletes a link; false when there was none.</summary>
    public Task<bool> DeleteAsync(string lookupId, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(ContainerNames.Identities, lookupId, lookupId, cancellationToken);
}
