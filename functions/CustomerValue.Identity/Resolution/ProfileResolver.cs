using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;

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
    private KnownRows? _knownRows;

    /// <summary>Recognises records already applied by their order's stamp (see <see cref="Resolution.KnownRows"/>).</summary>
    internal KnownRows KnownRows => _knownRows ??= new KnownRows(profiles.Store, normalizer.DefaultRegion, links);

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

        var group = await ResolveAsync([activity], keys, FormerKeys(activity.Identities), null, cancellationToken);
        return group.Result with { Changed = group.Result.Changed || group.RecordChanged[0] };
    }

    /// <summary>
    /// Applies several records that carry the same normalized identities (one person's rows of an import) in one
    /// resolution and one profile write. With <paramref name="stamps"/> (one per record, see <see cref="KnownRows"/>)
    /// the orders the records change are written with them, as the set path writes them, so that a re-upload recognises
    /// these rows too; a merge that later folds the profile into another moves the orders without them.
    /// </summary>
    /// <returns>
    /// The resolution, and for each record whether it changed the profile or had changed it before under the same
    /// <see cref="OrderRecord.AppliedBy"/> (false: a duplicate or stale version).
    /// </returns>
    internal Task<GroupResolution> ApplyGroupAsync(IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, IReadOnlyList<string?>? stamps, CancellationToken cancellationToken) =>
        ResolveAsync(records, keys, [.. records.SelectMany(r => FormerKeys(r.Identities)).Distinct()], stamps, cancellationToken);

    /// <summary>
    /// Applies the people of a batch set-wise (see <see cref="SetResolution"/>); returns those it left to
    /// <see cref="ApplyGroupAsync"/>.
    /// </summary>
    internal Task<List<SetResolution.Person>> ApplySetAsync(IReadOnlyList<SetResolution.Person> people, IReadOnlyList<CustomerActivity> records, string?[] stamps, RecordOutcome[] outcomes, CancellationToken cancellationToken) =>
        new SetResolution(profiles, links, clock).ApplyAsync(people, records, stamps, outcomes, cancellationToken);

    /// <summary>The older forms of a record's source customer ids (see <see cref="RawIdentities.FormerSourceCustomerIds"/>).</summary>
    internal static IReadOnlyList<IdentityKey> FormerKeys(RawIdentities identities) =>
        identities.FormerSourceCustomerIds.Count == 0 ? []
            : [.. identities.FormerSourceCustomerIds.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => new IdentityKey(IdentityKind.SourceCustomer, s.Trim()))];

    private async Task<GroupResolution> ResolveAsync(IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, IReadOnlyList<IdentityKey> formerKeys, IReadOnlyList<string?>? stamps, CancellationToken cancellationToken)
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

            var applied = await ApplyToProfileAsync(target, records, keys, mustExist: !verified, stamps, cancellationToken);
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
        // Every holder loses it (two hold it only when two people's records named the same order).
        string? first = null;
        foreach (var holder in await profiles.Orders.HoldersAsync(orderKey, cancellationToken))
        {
            if (await profiles.FollowRedirectsAsync(holder, cancellationToken) is { } owner)
            {
                await RemoveFromProfileAsync(owner, orderKey, cancellationToken);
                first ??= owner;
            }
        }

        return first;
    }

    private async Task RemoveFromProfileAsync(string profileId, string orderKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await profiles.ReadAsync(profileId, cancellationToken);
            if (current is null || current.Body.IsRedirect || current.Body.IsErased)
            {
                return;
            }

            var profile = current.Body;
            var orders = new OrderChanges(await profiles.Orders.ReadManyAsync(profileId, [orderKey], cancellationToken));
            if (!orders.Remove(profile, orderKey))
            {
                return;
            }

            if (orders.TotalsNeedRebuild)
            {
                await orders.RebuildTotalsAsync(profile, profiles.Orders, cancellationToken);
            }

            profile.UpdatedAt = clock.GetUtcNow();
            try
            {
                await profiles.WriteAsync([ProfileOrders.Profile(profile, current.ETag), .. orders.Writes(profileId)], cancellationToken);
                return;
            }
            catch (DocumentPreconditionFailedException) when (attempt < OptimisticUpdate.MaxAttempts)
            {
                // The profile changed meanwhile: remove the order from its newer version.
            }
        }
    }

    /// <summary>Applies an identity-less record to the profile that holds its order; null when no profile does.</summary>
    private async Task<ResolutionResult?> ApplyToOrderOwnerAsync(CustomerActivity activity, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxRedirectHops; attempt++)
        {
            // The holder of the order's newest version, as it lives now (a merged holder redirects to its survivor).
            string? owner = null;
            foreach (var holder in await profiles.Orders.HoldersAsync(activity.Order!.OrderKey, cancellationToken))
            {
                if ((owner = await profiles.FollowRedirectsAsync(holder, cancellationToken)) is not null)
                {
                    break;
                }
            }

            if (owner is null)
            {
                return null;
            }

            if (await ApplyToProfileAsync(owner, [activity], [], mustExist: false, null, cancellationToken) is { } applied)
            {
                return new ResolutionResult(owner, false, applied.RecordChanged[0], []);
            }
        }

        return null;
    }

    /// <summary>
    /// Applies the records to one profile; null when that profile has become a redirect, or does not exist although
    /// <paramref name="mustExist"/> says an identity link pointed at it. The profile, its held versions of the records'
    /// orders and the changed orders are read and written as one unit, checked by the profile's ETag: a writer that
    /// loses re-reads both and decides every outcome afresh.
    /// </summary>
    private async Task<(bool Created, bool[] RecordChanged)?> ApplyToProfileAsync(string target, IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, bool mustExist, IReadOnlyList<string?>? stamps, CancellationToken cancellationToken)
    {
        var recordChanged = new bool[records.Count];
        var orderKeys = records.Where(r => r.Order is not null).Select(r => r.Order!.OrderKey).ToList();
        for (var attempt = 1; ; attempt++)
        {
            Array.Clear(recordChanged);
            var current = await profiles.ReadAsync(target, cancellationToken);
            if (current?.Body.IsRedirect == true || (mustExist && current is null))
            {
                return null;
            }

            var now = clock.GetUtcNow();
            // An erased person who comes back starts a new profile: nothing of the erased one is revived.
            var fresh = current is null || current.Body.IsErased;
            var profile = fresh ? new CustomerProfile { Id = target, CreatedAt = now, UpdatedAt = now } : current!.Body;
            var held = fresh || orderKeys.Count == 0
                ? new Dictionary<string, OrderRecord>(StringComparer.Ordinal)
                : await profiles.Orders.ReadManyAsync(target, orderKeys, cancellationToken);
            var orders = new OrderChanges(held);
            var changed = fresh;
            for (var i = 0; i < records.Count; i++)
            {
                recordChanged[i] = ProfileFacts.Apply(profile, records[i], keys, orders, stamps?[i]);
                changed |= recordChanged[i];
                // Stored by this very import row before an interruption: applied by this record, though nothing changes now.
                recordChanged[i] |= records[i].Order is { AppliedBy: { } row } order && orders.Current(order.OrderKey)?.AppliedBy == row;
            }

            if (!changed)
            {
                return (false, recordChanged);
            }

            if (orders.TotalsNeedRebuild)
            {
                await orders.RebuildTotalsAsync(profile, profiles.Orders, cancellationToken);
            }

            profile.UpdatedAt = now;
            try
            {
                await profiles.WriteAsync([ProfileOrders.Profile(profile, current?.ETag), .. orders.Writes(target)], cancellationToken);
                return (fresh, recordChanged);
            }
            catch (Exception ex) when (attempt < OptimisticUpdate.MaxAttempts && ex is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
            {
                // Someone else wrote the profile first: back off a little (jittered) and re-apply on their version.
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
        }
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
