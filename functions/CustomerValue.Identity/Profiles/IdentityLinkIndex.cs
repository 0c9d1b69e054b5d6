using CustomerValue.Domain.Identities;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The identities container: which profile owns an identity (document id = <see cref="LookupId"/>, a keyed hash, so no
/// e-mail or phone appears in it or can be recovered from it) and which profile holds an order (<see cref="OrderLinkId"/>).
/// Point reads and writes only; links are created or replaced by ETag where two writers may race.
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

    /// <summary>The lookup id that maps an order to the profile holding it.</summary>
    public static string OrderLinkId(string orderKey) => "order-" + IdentityKey.Sha256Hex(orderKey)[..40];

    /// <summary>The link of one lookup id; null when nobody owns it.</summary>
    public Task<StoredDocument<IdentityLink>?> ReadAsync(string lookupId, CancellationToken cancellationToken = default) =>
        store.ReadAsync<IdentityLink>(ContainerNames.Identities, lookupId, lookupId, cancellationToken);

    /// <summary>The link of an order; null when no profile holds it.</summary>
    public Task<StoredDocument<IdentityLink>?> ReadOrderAsync(string orderKey, CancellationToken cancellationToken = default) =>
        ReadAsync(OrderLinkId(orderKey), cancellationToken);

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

    /// <summary>
    /// Records which profile holds an order, so that later records naming only the order find it. With
    /// <paramref name="writeUnread"/> the link is written without reading it: one write instead of a read, for orders
    /// just added to the profile, whose link is almost never there yet. Order links are written unconditionally: the
    /// profile that holds the order is decided by the profile write, and the last writer is its holder.
    /// </summary>
    public async Task LinkOrderAsync(string orderKey, string profileId, bool writeUnread, CancellationToken cancellationToken = default)
    {
        var linkId = OrderLinkId(orderKey);
        var existing = writeUnread ? null : await ReadAsync(linkId, cancellationToken);
        if (existing?.Body.ProfileId != profileId)
        {
            await store.UpsertAsync(ContainerNames.Identities, linkId, linkId, new IdentityLink(linkId, profileId, IdentityKind.SourceCustomer), cancellationToken);
        }
    }
}
