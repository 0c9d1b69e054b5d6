using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The read side the APIs and privacy requests use: a profile by id (an absorbed id answers with its survivor), by
/// identity (point reads), or by order (an index lookup of the order's id).
/// </summary>
public sealed class ProfileQueries(ProfileRepository profiles, IdentityLinkIndex links)
{
    /// <summary>The live profile an id resolves to (following merge redirects); null when there is none.</summary>
    public Task<StoredDocument<CustomerProfile>?> FindAsync(string profileId, CancellationToken cancellationToken = default) =>
        profiles.FindLiveAsync(profileId, cancellationToken);

    /// <summary>One page of a profile's orders (pass the profile's own id, as <see cref="FindAsync"/> resolved it).</summary>
    public Task<DocumentPage<OrderRecord>> OrdersAsync(string profileId, string? continuation, int limit, CancellationToken cancellationToken = default) =>
        profiles.Orders.PageAsync(profileId, continuation, limit, cancellationToken);

    /// <summary>Every order of a profile (for exports).</summary>
    public Task<List<OrderRecord>> AllOrdersAsync(string profileId, CancellationToken cancellationToken = default) =>
        profiles.Orders.ListAsync(profileId, cancellationToken);

    /// <summary>The live profile that owns an identity; null when nobody does.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindByIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        var link = await links.ReadAsync(key, cancellationToken);
        return link is null ? null : await FindAsync(link.Body.ProfileId, cancellationToken);
    }

    /// <summary>The live profile that holds an order (its newest version, when two do); null when none does.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindByOrderAsync(string orderKey, CancellationToken cancellationToken = default)
    {
        foreach (var holder in await profiles.Orders.HoldersAsync(orderKey, cancellationToken))
        {
            if (await FindAsync(holder, cancellationToken) is { } profile)
            {
                return profile;
            }
        }

        return null;
    }
}
