using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// Joins two profiles that turned out to be one person, and points identities at the profile that owns them. The two
/// belong together: pointing an identity at a profile can find it owned by another live profile (a merge), and a merge
/// re-points the absorbed profile's identities. The profile with the smaller id always survives, so concurrent mergers
/// agree on the outcome.
/// </summary>
public sealed class ProfileMerger(ProfileRepository profiles, IdentityLinkIndex links, TimeProvider clock)
{
    /// <summary>Points every identity at the target; an identity owned by another live profile merges it.</summary>
    /// <returns>The profile the identities now belong to, and the profiles merged into it.</returns>
    internal async Task<(string Owner, List<string> Merged)> ClaimLinksAsync(string target, IReadOnlyList<IdentityKey> keys, ResolutionMemo memo, CancellationToken cancellationToken)
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
            target = await ResolutionMemo.FollowRedirectsAsync(profiles, target, memo, cancellationToken) ?? target;
            var lookupId = links.LookupId(key);
            if (memo is null || !memo.TryTakeLink(lookupId, out var existing))
            {
                existing = await links.ReadAsync(key, cancellationToken);
            }

            var link = new IdentityLink(lookupId, target, key.Kind);
            try
            {
                if (existing is null)
                {
                    await links.CreateAsync(link, cancellationToken);
                    return target;
                }

                var owner = existing.Body.ProfileId == target ? target : await ResolutionMemo.FollowRedirectsAsync(profiles, existing.Body.ProfileId, memo, cancellationToken);
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

                if (existing.Id != lookupId)
                {
                    // Stored under the unkeyed id of older data: moved to the keyed id, so the unkeyed hash leaves the store.
                    await links.CreateAsync(link, cancellationToken);
                    await links.DeleteAsync(existing.Id, cancellationToken);
                }
                else if (existing.Body.ProfileId != target)
                {
                    await links.ReplaceAsync(link, existing.ETag, cancellationToken);
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
    /// <returns>True when this call folded the profile; false when it was already folded, erased or gone.</returns>
    public async Task<bool> MergeAsync(string survivorId, string absorbedId, string reason, CancellationToken cancellationToken = default)
    {
        var copiedFacts = false;
        for (var attempt = 1; ; attempt++)
        {
            // The survivor itself may have been merged away meanwhile: merge into whatever it became.
            survivorId = await profiles.FollowRedirectsAsync(survivorId, cancellationToken) ?? survivorId;
            if (survivorId == absorbedId)
            {
                return false;
            }

            var absorbed = await profiles.ReadAsync(absorbedId, cancellationToken);
            if (absorbed is null || absorbed.Body.IsErased)
            {
                return false;
            }

            if (absorbed.Body.IsRedirect)
            {
                // Another merger redirected it first. If we already copied its facts into our survivor, our survivor and
                // theirs now both hold them: they are one person, so merge them too (smaller id survives).
                var winner = copiedFacts ? await profiles.FollowRedirectsAsync(absorbedId, cancellationToken) : null;
                if (winner is null || winner == survivorId)
                {
                    return false;
                }

                var (keep, fold) = string.CompareOrdinal(winner, survivorId) < 0 ? (winner, survivorId) : (survivorId, winner);
                return await MergeAsync(keep, fold, reason, cancellationToken);
            }

            var survivorMoved = !await AbsorbIntoSurvivorAsync(survivorId, absorbed.Body, reason, cancellationToken);
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
                await profiles.ReplaceAsync(redirect, absorbed.ETag, cancellationToken);
            }
            catch (DocumentPreconditionFailedException) when (attempt < OptimisticUpdate.MaxAttempts)
            {
                continue;
            }

            // The survivor holds the absorbed person's orders now: their old copies go (a crash before this leaves copies on
            // a redirect, which nothing reads; erasure removes them).
            await DeleteOrdersAsync(absorbedId, cancellationToken);

            // Re-point the absorbed profile's identities; one now owned by a third live profile merges that one too.
            var alsoMerged = new List<string>();
            foreach (var key in keys)
            {
                survivorId = await PointLinkAsync(key, survivorId, alsoMerged, null, cancellationToken);
            }

            return true;
        }
    }

    /// <summary>
    /// Copies the absorbed profile's facts and orders into the survivor (orders merged version by version and counted
    /// into its totals), written with the survivor's ETag. False when the survivor is gone, a redirect or erased.
    /// </summary>
    private async Task<bool> AbsorbIntoSurvivorAsync(string survivorId, CustomerProfile absorbed, string reason, CancellationToken cancellationToken)
    {
        var moving = await profiles.Orders.ListAsync(absorbed.Id, cancellationToken);
        var stamps = await StampsAsync(absorbed.Id, moving, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var current = await profiles.ReadAsync(survivorId, cancellationToken);
            if (current is null || current.Body.IsRedirect || current.Body.IsErased)
            {
                return false;
            }

            var survivor = current.Body;
            var orders = new OrderChanges(await profiles.Orders.ReadManyAsync(survivorId, moving.Select(o => o.OrderKey), cancellationToken));
            var now = clock.GetUtcNow();
            var changed = ProfileFacts.Absorb(survivor, absorbed, reason, now);
            foreach (var order in moving)
            {
                // An order moves with the stamp of the record that made it (see KnownRows): once the merge is done the
                // survivor holds everything that record said, and its identities lead there. An order the survivor held
                // too becomes a merge of two versions, which no one record made: it moves without one.
                var stamp = orders.Current(order.OrderKey) is null ? stamps.GetValueOrDefault(order.OrderKey) : null;
                changed |= orders.Apply(survivor, order, stamp);
            }

            if (!changed)
            {
                return true;
            }

            if (orders.TotalsNeedRebuild)
            {
                await orders.RebuildTotalsAsync(survivor, profiles.Orders, cancellationToken);
            }

            survivor.UpdatedAt = now;
            try
            {
                await profiles.WriteAsync([ProfileOrders.Profile(survivor, current.ETag), .. orders.Writes(survivorId)], cancellationToken);
                return true;
            }
            catch (DocumentPreconditionFailedException) when (attempt < OptimisticUpdate.MaxAttempts)
            {
                // The survivor changed meanwhile: absorb into its newer version.
            }
        }
    }

    /// <summary>The stamps the profile's orders carry, by order key (one query; none on stores that keep no stamps).</summary>
    private async Task<Dictionary<string, string>> StampsAsync(string profileId, List<OrderRecord> orders, CancellationToken cancellationToken)
    {
        var stamps = new Dictionary<string, string>(StringComparer.Ordinal);
        if (orders.Count == 0)
        {
            return stamps;
        }

        var keys = orders.ToDictionary(o => ProfileOrders.DocumentId(o.OrderKey), o => o.OrderKey, StringComparer.Ordinal);
        foreach (var found in await profiles.Store.FindStampsAsync(ContainerNames.Orders, [.. keys.Keys], cancellationToken))
        {
            if (found.PartitionKey == profileId && keys.TryGetValue(found.Id, out var key))
            {
                stamps[key] = found.Stamp;
            }
        }

        return stamps;
    }

    private async Task DeleteOrdersAsync(string profileId, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var order in profiles.Orders.AllAsync(profileId, cancellationToken))
        {
            keys.Add(order.OrderKey);
        }

        foreach (var chunk in keys.Chunk(ProfileOrders.PageSize))
        {
            await profiles.WriteAsync([.. chunk.Select(key => ProfileOrders.Remove(profileId, key))], cancellationToken);
        }
    }
}
