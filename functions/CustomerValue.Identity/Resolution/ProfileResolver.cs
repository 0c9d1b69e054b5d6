using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// Resolves each inbound record to one profile per person and applies it there.
/// <para>
/// Matching is deterministic: a record belongs to the profile that already owns any of its identities (source
/// customer id, loyalty id, normalized e-mail, E.164 phone). A record whose identities are owned by two profiles
/// proves they are one person: they are merged, the survivor keeps both histories and the other becomes a
/// redirect so that its id still resolves. The survivor is the profile with the smallest id, and a new person's
/// profile id is derived from their first identity, so the same set of records yields the same profiles in any
/// order — including two concurrent first records of one person, which race to create the same id and meet in
/// the store's ETag check instead of creating two profiles.
/// </para>
/// All operations are point reads and writes. A known person costs one read per identity, one read of their profile
/// and one read-modify-write of it (see <see cref="ResolutionMemo"/>); new links and merges add their own writes.
/// Where documents live is the business of <see cref="ProfileRepository"/> and <see cref="IdentityLinkIndex"/>; how two
/// profiles become one, of <see cref="ProfileMerger"/>.
/// </summary>
public sealed class ProfileResolver(ProfileRepository profiles, IdentityLinkIndex links, ProfileMerger merger, IdentityNormalizer normalizer, TimeProvider clock)
{
    private const int MaxRedirectHops = ProfileRepository.MaxRedirectHops;

    /// <summary>Applies a record; returns null when the record names nobody (an anonymous sale).</summary>
    public async Task<ResolutionResult?> ApplyAsync(CustomerActivity activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var keys = normalizer.Normalize(activity.Identities);
        if (keys.Count == 0)
        {
            // A record that names nobody can still belong to a known order (a refund reported on its own).
            return activity.Order is null ? null : await ApplyToOrderOwnerAsync(activity, cancellationToken);
        }

        var group = await ResolveAsync([activity], keys, FormerKeys(activity.Identities), blindOrderLinks: false, cancellationToken);
        return group.Result with { Changed = group.Result.Changed || group.RecordChanged[0] };
    }

    /// <summary>
    /// Applies several records that carry the same normalized identities (one person's rows of an import) in one
    /// resolution and one profile write. Order links of orders the group changed are written without being read first,
    /// which suits bulk loads where nearly every order is new.
    /// </summary>
    /// <returns>
    /// The resolution, and for each record whether it changed the profile or had changed it before under the same
    /// <see cref="OrderRecord.AppliedBy"/> (false: a duplicate or stale version).
    /// </returns>
    internal Task<GroupResolution> ApplyGroupAsync(IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken) =>
        ResolveAsync(records, keys, [.. records.SelectMany(r => FormerKeys(r.Identities)).Distinct()], blindOrderLinks: true, cancellationToken);

    /// <summary>The older forms of a record's source customer ids (see <see cref="RawIdentities.FormerSourceCustomerIds"/>).</summary>
    internal static IReadOnlyList<IdentityKey> FormerKeys(RawIdentities identities) =>
        identities.FormerSourceCustomerIds.Count == 0 ? []
            : [.. identities.FormerSourceCustomerIds.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => new IdentityKey(IdentityKind.SourceCustomer, s.Trim()))];

    private async Task<GroupResolution> ResolveAsync(IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, IReadOnlyList<IdentityKey> formerKeys, bool blindOrderLinks, CancellationToken cancellationToken)
    {
        var memo = new ResolutionMemo();
        for (var attempt = 0; ; attempt++)
        {
            // The first attempt trusts a single linked profile without reading it: the profile update reads it anyway and
            // refuses a redirect or a missing profile, and the next attempt then resolves every owner properly. A new
            // person's id is checked the same way.
            var (owners, verified) = await FindOwnersAsync(keys, formerKeys, memo, trustSingleOwner: attempt == 0, cancellationToken);
            var target = owners.Count > 0 ? owners.Min(StringComparer.Ordinal)! : NewProfileId(links.LookupId(keys[0]));
            if (attempt > 0)
            {
                target = await ResolutionMemo.FollowRedirectsAsync(profiles, target, memo, cancellationToken) ?? target;
            }

            var applied = await ApplyToProfileAsync(target, records, keys, mustExist: !verified, cancellationToken);
            if (applied is null && attempt < MaxRedirectHops)
            {
                memo.Forget();
                continue; // the target was merged away between resolving and writing: resolve again
            }

            var (created, recordChanged) = applied ?? throw new InvalidOperationException($"Profile '{target}' keeps being merged away.");
            memo.RememberLive(target, target);
            var merged = new List<string>();
            foreach (var other in owners.Where(o => o != target))
            {
                memo.Forget();
                if (await merger.MergeAsync(target, other, "shared identity", cancellationToken))
                {
                    merged.Add(other);
                }
            }

            var (owner, claimedMerges) = await merger.ClaimLinksAsync(target, keys, memo, cancellationToken);
            merged.AddRange(claimedMerges);
            // Checked even for a known order: a crash after the profile write and before the link must be repaired by the
            // retry. The links are independent of each other, so a group's go to the store together.
            var orderLinks = new List<Task>();
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Order is { } order)
                {
                    orderLinks.Add(links.LinkOrderAsync(order.OrderKey, owner, blindOrderLinks && recordChanged[i] && merged.Count == 0, cancellationToken));
                }
            }

            await Task.WhenAll(orderLinks);

            if (merged.Count > 0)
            {
                owner = await profiles.FollowRedirectsAsync(owner, cancellationToken) ?? owner;
            }

            return new GroupResolution(new ResolutionResult(owner, created, created || merged.Count > 0, merged), recordChanged);
        }
    }

    /// <summary>
    /// Removes an order the source deleted (e.g. WooCommerce <c>order.deleted</c>, which names only the order) from the
    /// profile holding it; returns the profile id, or null when no profile holds it. Idempotent.
    /// </summary>
    public async Task<string?> RemoveOrderAsync(string orderKey, CancellationToken cancellationToken = default)
    {
        var link = await links.ReadOrderAsync(orderKey, cancellationToken);
        var owner = link is null ? null : await profiles.FollowRedirectsAsync(link.Body.ProfileId, cancellationToken);
        if (owner is not null)
        {
            await profiles.UpdateAsync(owner, current =>
            {
                if (current is null || current.OrderHistory.RemoveAll(o => o.OrderKey == orderKey) == 0)
                {
                    return null;
                }

                current.UpdatedAt = clock.GetUtcNow();
                return current;
            }, cancellationToken);
        }

        if (link is not null)
        {
            await links.DeleteAsync(link.Id, cancellationToken);
        }

        return owner;
    }

    /// <summary>Applies an identity-less record to the profile that holds its order; null when no profile does.</summary>
    private async Task<ResolutionResult?> ApplyToOrderOwnerAsync(CustomerActivity activity, CancellationToken cancellationToken)
    {
        var link = await links.ReadOrderAsync(activity.Order!.OrderKey, cancellationToken);
        for (var attempt = 0; link is not null && attempt < MaxRedirectHops; attempt++)
        {
            var owner = await profiles.FollowRedirectsAsync(link.Body.ProfileId, cancellationToken);
            if (owner is null)
            {
                return null;
            }

            if (await ApplyToProfileAsync(owner, [activity], [], mustExist: false, cancellationToken) is { } applied)
            {
                return new ResolutionResult(owner, false, applied.RecordChanged[0], []);
            }
        }

        return null;
    }

    /// <summary>
    /// Applies the records to one profile; null when that profile has become a redirect, or does not exist although
    /// <paramref name="mustExist"/> says an identity link pointed at it.
    /// </summary>
    private async Task<(bool Created, bool[] RecordChanged)?> ApplyToProfileAsync(string target, IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, bool mustExist, CancellationToken cancellationToken)
    {
        var created = false;
        var recordChanged = new bool[records.Count];
        var redirected = false;
        await profiles.UpdateAsync(target, current =>
        {
            // Runs again on an ETag conflict, against the newer version: every outcome is decided afresh.
            Array.Clear(recordChanged);
            redirected = current?.IsRedirect == true || (mustExist && current is null);
            if (redirected)
            {
                return null;
            }

            var now = clock.GetUtcNow();
            // An erased person who comes back starts a new profile: nothing of the erased one is revived.
            var fresh = current is null || current.IsErased;
            var profile = fresh ? new CustomerProfile { Id = target, CreatedAt = now, UpdatedAt = now } : current!;
            created = fresh;
            var changed = created;
            for (var i = 0; i < records.Count; i++)
            {
                recordChanged[i] = ProfileFacts.Apply(profile, records[i], keys);
                changed |= recordChanged[i];
                // Stored by this very import row before an interruption: applied by this record, though nothing changes now.
                recordChanged[i] |= records[i].Order is { AppliedBy: { } row } order
                    && profile.OrderHistory.Exists(o => o.AppliedBy == row && o.OrderKey == order.OrderKey);
            }

            if (!changed)
            {
                return null;
            }

            profile.UpdatedAt = now;
            return profile;
        }, cancellationToken);
        return redirected ? null : (created, recordChanged);
    }

    /// <summary>
    /// The deterministic id of a new person's profile: a hash of their first identity's lookup id
    /// (<see cref="IdentityLinkIndex.LookupId"/>, keyed, so the same person gets the same id within one deployment).
    /// </summary>
    public static string NewProfileId(string firstLookupId) =>
        "cp-" + IdentityKey.Sha256Hex("profile:" + firstLookupId)[..24];

    /// <summary>
    /// The live profiles that own any of the identities. With <paramref name="trustSingleOwner"/>, links that all name
    /// one profile return it unverified (it may be a redirect or gone), saving the read of a profile about to be read.
    /// </summary>
    private async Task<(SortedSet<string> Owners, bool Verified)> FindOwnersAsync(IReadOnlyList<IdentityKey> keys, IReadOnlyList<IdentityKey> formerKeys, ResolutionMemo memo, bool trustSingleOwner, CancellationToken cancellationToken)
    {
        var linked = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var link = await links.ReadAsync(key, cancellationToken);
            memo.RememberLink(links.LookupId(key), link);
            if (link is not null)
            {
                linked.Add(link.Body.ProfileId);
            }
        }

        // Older forms of the ids only find owners; they are never claimed, so new data never writes them.
        foreach (var key in formerKeys)
        {
            if (await links.ReadAsync(key, cancellationToken) is { } link)
            {
                linked.Add(link.Body.ProfileId);
            }
        }

        if (trustSingleOwner && linked.Count == 1)
        {
            return (linked, false);
        }

        var owners = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var profileId in linked)
        {
            if (await ResolutionMemo.FollowRedirectsAsync(profiles, profileId, memo, cancellationToken) is { } owner)
            {
                owners.Add(owner);
            }
        }

        return (owners, true);
    }
}
