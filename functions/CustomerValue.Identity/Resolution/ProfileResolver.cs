using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;
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
/// </summary>
public sealed class ProfileResolver(IDocumentStore store, IdentityNormalizer normalizer, TimeProvider clock)
{
    private const int MaxRedirectHops = 16;

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

        var group = await ResolveAsync([activity], keys, blindOrderLinks: false, cancellationToken);
        return group.Result with { Changed = group.Result.Changed || group.RecordChanged[0] };
    }

    /// <summary>
    /// Applies several records that carry the same normalized identities (one person's rows of an import) in one
    /// resolution and one profile write. Order links of orders the group changed are written without being read first,
    /// which suits bulk loads where nearly every order is new.
    /// </summary>
    /// <returns>The resolution, and for each record whether it changed the profile (false: a duplicate or stale version).</returns>
    internal Task<GroupResolution> ApplyGroupAsync(IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, CancellationToken cancellationToken) =>
        ResolveAsync(records, keys, blindOrderLinks: true, cancellationToken);

    private async Task<GroupResolution> ResolveAsync(IReadOnlyList<CustomerActivity> records, IReadOnlyList<IdentityKey> keys, bool blindOrderLinks, CancellationToken cancellationToken)
    {
        var memo = new ResolutionMemo();
        for (var attempt = 0; ; attempt++)
        {
            // The first attempt trusts a single linked profile without reading it: the profile update reads it anyway and
            // refuses a redirect or a missing profile, and the next attempt then resolves every owner properly. A new
            // person's id is checked the same way.
            var (owners, verified) = await FindOwnersAsync(keys, memo, trustSingleOwner: attempt == 0, cancellationToken);
            var target = owners.Count > 0 ? owners.Min(StringComparer.Ordinal)! : NewProfileId(keys[0]);
            if (attempt > 0)
            {
                target = await FollowRedirectsAsync(target, memo, cancellationToken) ?? target;
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
                if (await MergeAsync(target, other, "shared identity", cancellationToken))
                {
                    merged.Add(other);
                }
            }

            var (owner, claimedMerges) = await ClaimLinksAsync(target, keys, memo, cancellationToken);
            merged.AddRange(claimedMerges);
            // Checked even for a known order: a crash after the profile write and before the link must be repaired by the
            // retry. The links are independent of each other, so a group's go to the store together.
            var links = new List<Task>();
            for (var i = 0; i < records.Count; i++)
            {
                if (records[i].Order is { } order)
                {
                    links.Add(LinkOrderAsync(order.OrderKey, owner, blindOrderLinks && recordChanged[i] && merged.Count == 0, cancellationToken));
                }
            }

            await Task.WhenAll(links);

            if (merged.Count > 0)
            {
                owner = await FollowRedirectsAsync(owner, null, cancellationToken) ?? owner;
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
        var linkId = OrderLinkId(orderKey);
        var link = await store.ReadAsync<IdentityLink>(ContainerNames.Identities, linkId, linkId, cancellationToken);
        var owner = link is null ? null : await FollowRedirectsAsync(link.Body.ProfileId, null, cancellationToken);
        if (owner is not null)
        {
            await store.UpdateAsync<CustomerProfile>(ContainerNames.Profiles, owner, owner, current =>
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
            await store.DeleteAsync(ContainerNames.Identities, linkId, linkId, cancellationToken);
        }

        return owner;
    }

    /// <summary>The lookup id that maps an order to the profile holding it.</summary>
    public static string OrderLinkId(string orderKey) => "order-" + IdentityKey.Sha256Hex(orderKey)[..40];

    /// <summary>Applies an identity-less record to the profile that holds its order; null when no profile does.</summary>
    private async Task<ResolutionResult?> ApplyToOrderOwnerAsync(CustomerActivity activity, CancellationToken cancellationToken)
    {
        var linkId = OrderLinkId(activity.Order!.OrderKey);
        var link = await store.ReadAsync<IdentityLink>(ContainerNames.Identities, linkId, linkId, cancellationToken);
        for (var attempt = 0; link is not null && attempt < MaxRedirectHops; attempt++)
        {
            var owner = await FollowRedirectsAsync(link.Body.ProfileId, null, cancellationToken);
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
    /// Records which profile holds an order, so that later records naming only the order find it. With
    /// <paramref name="writeUnread"/> the link is written without reading it: one write instead of a read, for orders
    /// just added to the profile, whose link is almost never there yet.
    /// </summary>
    private async Task LinkOrderAsync(string orderKey, string profileId, bool writeUnread, CancellationToken cancellationToken)
    {
        var linkId = OrderLinkId(orderKey);
        var existing = writeUnread ? null : await store.ReadAsync<IdentityLink>(ContainerNames.Identities, linkId, linkId, cancellationToken);
        if (existing?.Body.ProfileId != profileId)
        {
            await store.UpsertAsync(ContainerNames.Identities, linkId, linkId, new IdentityLink(linkId, profileId, IdentityKind.SourceCustomer), cancellationToken);
        }
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
        await store.UpdateAsync<CustomerProfile>(ContainerNames.Profiles, target, target, current =>
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

    /// <summary>Finds the live profile an id resolves to (following merge redirects); null when there is none.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindAsync(string profileId, CancellationToken cancellationToken = default)
    {
        var id = await FollowRedirectsAsync(profileId, null, cancellationToken);
        return id is null ? null : await store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, id, id, cancellationToken);
    }

    /// <summary>Finds the live profile that owns an identity; null when nobody does.</summary>
    public async Task<StoredDocument<CustomerProfile>?> FindByIdentityAsync(IdentityKey key, CancellationToken cancellationToken = default)
    {
        var link = await store.ReadAsync<IdentityLink>(ContainerNames.Identities, key.LookupId, key.LookupId, cancellationToken);
        return link is null ? null : await FindAsync(link.Body.ProfileId, cancellationToken);
    }

    /// <summary>The deterministic id of a new person's profile: a hash of their first identity's lookup id.</summary>
    public static string NewProfileId(IdentityKey firstKey) =>
        "cp-" + IdentityKey.Sha256Hex("profile:" + firstKey.LookupId)[..24];

    /// <summary>
    /// The live profiles that own any of the identities. With <paramref name="trustSingleOwner"/>, links that all name
    /// one profile return it unverified (it may be a redirect or gone), saving the read of a profile about to be read.
    /// </summary>
    private async Task<(SortedSet<string> Owners, bool Verified)> FindOwnersAsync(IReadOnlyList<IdentityKey> keys, ResolutionMemo memo, bool trustSingleOwner, CancellationToken cancellationToken)
    {
        var linked = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var link = await store.ReadAsync<IdentityLink>(ContainerNames.Identities, key.LookupId, key.LookupId, cancellationToken);
            memo.RememberLink(key.LookupId, link);
            if (link is not null)
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
            if (await FollowRedirectsAsync(profileId, memo, cancellationToken) is { } owner)
            {
                owners.Add(owner);
            }
        }

        return (owners, true);
    }

    private async Task<string?> FollowRedirectsAsync(string profileId, ResolutionMemo? memo, CancellationToken cancellationToken)
    {
        if (memo is not null && memo.TryGetLive(profileId, out var known))
        {
            return known;
        }

        var id = profileId;
        for (var hop = 0; hop < MaxRedirectHops; hop++)
        {
            var profile = await store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, id, id, cancellationToken);
            if (profile is null)
            {
                memo?.RememberLive(profileId, null);
                return null;
            }

            if (profile.Body.MergedInto is not { } next)
            {
                memo?.RememberLive(profileId, id);
                memo?.RememberLive(id, id);
                return id;
            }

            id = next;
        }

        throw new InvalidOperationException($"Profile '{profileId}' redirects more than {MaxRedirectHops} times.");
    }

    /// <summary>Points every identity of the record at the target; an identity owned by another live profile merges it.</summary>
    private async Task<(string Owner, List<string> Merged)> ClaimLinksAsync(string target, IReadOnlyList<IdentityKey> keys, ResolutionMemo memo, CancellationToken cancellationToken)
    {
        var merged = new List<string>();
        foreach (var key in keys)
        {
            target = await PointLinkAsync(key, target, merged, memo, cancellationToken);
        }

        return (target, merged);
    }

    /// <summary>
    /// Makes one identity's link resolve to <paramref name="target"/>. Links are only ever written conditionally (create,
    /// or replace by ETag), so a link another writer changed meanwhile is re-read rather than overwritten; when it
    /// resolves to a different live profile, that profile is the same person and is merged (the smaller id survives).
    /// </summary>
    /// <returns>The profile the identity now belongs to (the target, or the survivor of a merge).</returns>
    private async Task<string> PointLinkAsync(IdentityKey key, string target, List<string> merged, ResolutionMemo? memo, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            target = await FollowRedirectsAsync(target, memo, cancellationToken) ?? target;
            if (memo is null || !memo.TryTakeLink(key.LookupId, out var existing))
            {
                existing = await store.ReadAsync<IdentityLink>(ContainerNames.Identities, key.LookupId, key.LookupId, cancellationToken);
            }

            var link = new IdentityLink(key.LookupId, target, key.Kind);
            try
            {
                if (existing is null)
                {
                    await store.CreateAsync(ContainerNames.Identities, key.LookupId, key.LookupId, link, cancellationToken);
                    return target;
                }

                var owner = existing.Body.ProfileId == target ? target : await FollowRedirectsAsync(existing.Body.ProfileId, memo, cancellationToken);
                if (owner is not null && owner != target)
                {
                    memo?.Forget();
                    var (keep, fold) = string.CompareOrdinal(owner, target) < 0 ? (owner, target) : (target, owner);
                    if (await MergeAsync(keep, fold, key.Kind.ToString().ToLowerInvariant(), cancellationToken))
                    {
                        merged.Add(fold);
                    }

                    target = keep;
                    continue; // point the link at the survivor on the next round
                }

                if (existing.Body.ProfileId != target)
                {
                    await store.ReplaceAsync(ContainerNames.Identities, key.LookupId, key.LookupId, link, existing.ETag, cancellationToken);
                }

                return target;
            }
            catch (Exception ex) when (attempt < OptimisticUpdate.MaxAttempts && ex is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
            {
                // Another writer changed the link between our read and write: look again, trusting nothing read before.
                memo?.Forget();
            }
        }
    }

    /// <summary>
    /// Folds one profile into another: the survivor absorbs the other's current version (idempotent), then that
    /// version — and only that version, by ETag — becomes a redirect; if it changed meanwhile, the survivor absorbs
    /// the newer version and the step repeats, so no concurrent update is lost. Finally its identity links are
    /// re-pointed. A crash between steps is repaired by the next record that touches either profile.
    /// </summary>
    private async Task<bool> MergeAsync(string survivorId, string absorbedId, string reason, CancellationToken cancellationToken)
    {
        var copiedFacts = false;
        for (var attempt = 1; ; attempt++)
        {
            // The survivor itself may have been merged away meanwhile: merge into whatever it became.
            survivorId = await FollowRedirectsAsync(survivorId, null, cancellationToken) ?? survivorId;
            if (survivorId == absorbedId)
            {
                return false;
            }

            var absorbed = await store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, absorbedId, absorbedId, cancellationToken);
            if (absorbed is null || absorbed.Body.IsErased)
            {
                return false;
            }

            if (absorbed.Body.IsRedirect)
            {
                // Another merger redirected it first. If we already copied its facts into our survivor, our survivor and
                // theirs now both hold them: they are one person, so merge them too (smaller id survives).
                var winner = copiedFacts ? await FollowRedirectsAsync(absorbedId, null, cancellationToken) : null;
                if (winner is null || winner == survivorId)
                {
                    return false;
                }

                var (keep, fold) = string.CompareOrdinal(winner, survivorId) < 0 ? (winner, survivorId) : (survivorId, winner);
                return await MergeAsync(keep, fold, reason, cancellationToken);
            }

            var survivorMoved = false;
            await store.UpdateAsync<CustomerProfile>(ContainerNames.Profiles, survivorId, survivorId, survivor =>
            {
                survivorMoved = survivor is null || survivor.IsRedirect || survivor.IsErased;
                if (survivorMoved)
                {
                    return null;
                }

                var now = clock.GetUtcNow();
                if (!ProfileFacts.Absorb(survivor!, absorbed.Body, reason, now))
                {
                    return null;
                }

                survivor!.UpdatedAt = now;
                return survivor;
            }, cancellationToken);
            if (survivorMoved)
            {
                if (attempt >= OptimisticUpdate.MaxAttempts)
                {
                    throw new InvalidOperationException($"Merge survivor '{survivorId}' keeps moving.");
                }

                continue;
            }

            copiedFacts = true;
            var keys = ProfileFacts.KeysOf(absorbed.Body).ToList();
            var redirect = DocumentJson.Deserialize<CustomerProfile>(DocumentJson.Serialize(absorbed.Body));
            ProfileFacts.MakeRedirect(redirect, survivorId, clock.GetUtcNow());
            try
            {
                await store.ReplaceAsync(ContainerNames.Profiles, absorbedId, absorbedId, redirect, absorbed.ETag, cancellationToken);
            }
            catch (DocumentPreconditionFailedException) when (attempt < OptimisticUpdate.MaxAttempts)
            {
                continue;
            }

            // Re-point the absorbed profile's identities; one now owned by a third live profile merges that one too.
            var alsoMerged = new List<string>();
            foreach (var key in keys)
            {
                survivorId = await PointLinkAsync(key, survivorId, alsoMerged, null, cancellationToken);
            }

            return true;
        }
    }
}
