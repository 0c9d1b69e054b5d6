using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Identities;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Privacy;

/// <summary>
/// Erases people on request (GDPR/CCPA erasure, Shopify's <c>customers/redact</c> and <c>shop/redact</c>).
/// <para>
/// An erased profile keeps only its id and the time of erasure: every identifier, order, name, consent, score and
/// segment is removed, and the identity and order lookups that pointed to it are deleted. The profile is emptied
/// rather than deleted because the change feed reports updates, not deletes: the emptied version reaches
/// PublishSegmentChanges, which tells every destination the person left all their segments, so the person is also
/// removed from ad audiences and e-mail lists. Lookup ids are hashes, so no trace of the person's e-mail or phone
/// remains.
/// </para>
/// </summary>
public sealed class ProfileEraser(ProfileRepository profiles, IdentityLinkIndex links, ProfileQueries queries, IdentityNormalizer normalizer, TimeProvider clock)
{
    /// <summary>Finds the profiles of the given identities and orders and erases them; returns the erased profile ids.</summary>
    public async Task<IReadOnlyList<string>> EraseAsync(RawIdentities identities, IEnumerable<string> orderKeys, CancellationToken cancellationToken = default)
    {
        var profiles = await FindAsync(identities, orderKeys, cancellationToken);
        var erased = new List<string>();
        foreach (var id in profiles)
        {
            if (await EraseProfileAsync(id, cancellationToken))
            {
                erased.Add(id);
            }
        }

        return erased;
    }

    /// <summary>The live profiles that own any of the identities or orders.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(RawIdentities identities, IEnumerable<string> orderKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(orderKeys);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in normalizer.Normalize(identities))
        {
            if (await queries.FindByIdentityAsync(key, cancellationToken) is { } profile)
            {
                found.Add(profile.Id);
            }
        }

        foreach (var orderKey in orderKeys)
        {
            if (await queries.FindByOrderAsync(orderKey, cancellationToken) is { } profile)
            {
                found.Add(profile.Id);
            }
        }

        return [.. found];
    }

    /// <summary>Erases one profile (following merge redirects); false when there was nothing to erase.</summary>
    public async Task<bool> EraseProfileAsync(string profileId, CancellationToken cancellationToken = default)
    {
        var live = await queries.FindAsync(profileId, cancellationToken);
        if (live is null || live.Body.IsErased)
        {
            return false;
        }

        var id = live.Id;
        CustomerProfile? before = null;
        await profiles.UpdateAsync(id, current =>
        {
            if (current is null || current.IsErased || current.IsRedirect)
            {
                return null;
            }

            before = DocumentJson.Deserialize<CustomerProfile>(DocumentJson.Serialize(current));
            return Tombstone(current, clock.GetUtcNow());
        }, cancellationToken);
        if (before is null)
        {
            return false;
        }

        var owners = before.Merges.Select(m => m.MergedProfileId).Append(id).ToHashSet(StringComparer.Ordinal);
        // The orders of the person, and any copies a crashed merge left on the profiles folded into it.
        foreach (var owner in owners)
        {
            var held = await profiles.Orders.ListAsync(owner, cancellationToken);
            foreach (var chunk in held.Chunk(ProfileOrders.PageSize))
            {
                await profiles.WriteAsync([.. chunk.Select(o => ProfileOrders.Remove(owner, o.OrderKey))], cancellationToken);
            }
        }

        var lookups = ProfileFacts.KeysOf(before).SelectMany(links.LookupIds);
        foreach (var lookup in lookups.Distinct(StringComparer.Ordinal))
        {
            var link = await links.ReadAsync(lookup, cancellationToken);
            if (link is not null && owners.Contains(link.Body.ProfileId))
            {
                await links.DeleteAsync(lookup, cancellationToken);
            }
        }

        return true;
    }

    /// <summary>
    /// Removes everything one source contributed (Shopify's <c>shop/redact</c>): its customer ids and orders leave every
    /// profile, and a profile left with no other source is erased. Scans all profiles: a rare, offline operation.
    /// </summary>
    public async Task<int> RedactSourceAsync(string keyPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPrefix);
        var touched = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var document in profiles.ScanAsync(cancellationToken))
        {
            var profile = document.Body;
            if (!profile.IsRedirect && !profile.IsErased && profile.SourceCustomerIds.Exists(Matches))
            {
                touched.Add(profile.Id);
            }
        }

        await foreach (var order in profiles.ScanOrdersAsync(cancellationToken))
        {
            if (Matches(order.Body.OrderKey))
            {
                touched.Add(order.PartitionKey);
            }
        }

        var redacted = 0;
        foreach (var id in touched)
        {
            if (await RedactProfileAsync(id, cancellationToken))
            {
                redacted++;
            }
        }

        return redacted;

        bool Matches(string key) => key.StartsWith(keyPrefix, StringComparison.Ordinal);

        async Task<bool> RedactProfileAsync(string id, CancellationToken ct)
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = await profiles.ReadAsync(id, ct);
                if (current is null || current.Body.IsRedirect || current.Body.IsErased)
                {
                    return false;
                }

                var profile = current.Body;
                var orders = await profiles.Orders.ListAsync(id, ct);
                var removed = orders.Where(o => Matches(o.OrderKey)).Select(o => o.OrderKey).ToList();
                var removedLookups = profile.SourceCustomerIds.Where(Matches).SelectMany(k => links.LookupIds(new IdentityKey(IdentityKind.SourceCustomer, k))).ToList();
                profile.SourceCustomerIds.RemoveAll(Matches);
                profile.OrderTotals = OrderTotals.Of(orders.Where(o => !Matches(o.OrderKey)));
                profile.UpdatedAt = clock.GetUtcNow();
                try
                {
                    await profiles.WriteAsync([ProfileOrders.Profile(profile, current.ETag), .. removed.Select(key => ProfileOrders.Remove(id, key))], ct);
                }
                catch (DocumentPreconditionFailedException) when (attempt < OptimisticUpdate.MaxAttempts)
                {
                    continue;
                }

                foreach (var lookup in removedLookups)
                {
                    await links.DeleteAsync(lookup, ct);
                }

                if (profile.OrderTotals.Kept == 0 && profile.SourceCustomerIds.Count == 0 && profile.LoyaltyIds.Count == 0)
                {
                    await EraseProfileAsync(id, ct);
                }

                return true;
            }
        }
    }

    private static CustomerProfile Tombstone(CustomerProfile profile, DateTimeOffset now) => new()
    {
        Id = profile.Id,
        CreatedAt = profile.CreatedAt,
        UpdatedAt = now,
        ErasedAt = now,
        SegmentsRunId = profile.SegmentsRunId,
    };
}
