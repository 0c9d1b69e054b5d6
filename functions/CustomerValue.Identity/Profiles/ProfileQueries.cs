using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The read side the APIs and privacy requests use: a profile by id (an absorbed id answers with its survivor), by
/// identity, or by order. Point reads only.
/// </summary>
public sealed class ProfileQueries(ProfileRepository profiles, IdentityLinkIndex links)
{
    /// <summary>The live profile an id resolves to (following merge redirects); null when there is none.</summary>
    public Task<StoredDocument<CustomerProfile>?> FindAsync(string profileId, CancellationToken cancellationToken = default) =>
        profiles.FindLiveAsync(profileId, cancellationToken);

    /// <summary>The live profile that owns an identity; null when nobody does.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindByIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        var link = await links.ReadAsync(key, cancellationToken);
        return link is null ? null : await FindAsync(link.Body.ProfileId, cancellationToken);
    }

    /// <summary>The live profile that holds an order; null when none does.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindByOrderAsync(string orderKey, CancellationToken cancellationToken = default)
    {
        var link = await links.ReadOrderAsync(orderKey, cancellationToken);
        return link is null ? null : await FindAsync(link.Body.ProfileId, cancellationToken);
    }
}
