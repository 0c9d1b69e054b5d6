using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// Resolves a whole batch of people at once — a slice of a POS export — with a handful of store calls instead of a few
/// per person: one read of every identity link the batch names, one read of the profiles they lead to, one read of the
/// orders the batch brings that those profiles may hold, and one guarded write set per person, sent together (the
/// embedded store commits them in a few transactions).
/// <para>
/// People whose records share an identity are one person and are applied together. What the set path does not decide
/// itself goes back to the one-person path, which gives the same outcome: a person whose identities lead to two profiles
/// (a merge), to a redirect, an erased or a missing profile, to a link stored under an older id; a change that needs the
/// totals recomputed; and every person of a write set that lost a race (nothing of it was written).
/// </para>
/// </summary>
internal sealed class SetResolution(ProfileRepository profiles, IdentityLinkIndex links, TimeProvider clock)
{
    /// <summary>One person of the batch: their normalized identities, older forms of their ids, and their records.</summary>
    internal sealed record Person(IReadOnlyList<IdentityKey> Keys, IReadOnlyList<IdentityKey> FormerKeys, List<int> Records);

    /// <summary>
    /// Applies what it can; fills <paramref name="outcomes"/> for those records and returns the people left to the
    /// one-person path. The orders a record changes are written with its stamp (<see cref="KnownRows"/>).
    /// </summary>
    public async Task<List<Person>> ApplyAsync(IReadOnlyList<Person> people, IReadOnlyList<CustomerActivity> records, string?[] stamps, RecordOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var store = profiles.Store;
        var left = new List<Person>();
        var clusters = ClusterPeople(people);

        // 1. Every link the batch names, in one read. Each identity's two ids (each a SHA-256) are worked out once.
        var ids = new Dictionary<IdentityKey, (string Keyed, string Unkeyed)>();
        foreach (var key in clusters.SelectMany(c => c.Keys.Concat(c.FormerKeys)))
        {
            if (!ids.ContainsKey(key))
            {
                ids[key] = (links.LookupId(key), key.LookupId);
            }
        }

        var lookupIds = ids.Values.SelectMany(v => new[] { v.Keyed, v.Unkeyed }).Distinct(StringComparer.Ordinal).ToList();
        var linked = (await store.ReadManyAsync<IdentityLink>(ContainerNames.Identities, [.. lookupIds.Select(id => new DocumentAddress(id, id))], cancellationToken))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            var owners = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var key in cluster.Keys.Concat(cluster.FormerKeys))
            {
                if (linked.GetValueOrDefault(ids[key].Keyed) is { } keyed)
                {
                    owners.Add(keyed.Body.ProfileId);
                }

                if (linked.ContainsKey(ids[key].Unkeyed))
                {
                    cluster.Unsupported = true; // a link under the unkeyed id of older data: the one-person path moves it
                }
            }

            cluster.Unsupported |= owners.Count > 1;
            cluster.Target = owners.Count == 1 ? owners.Min! : cluster.Members.Select(p => ProfileResolver.NewProfileId(ids[p.Keys[0]].Keyed)).Min(StringComparer.Ordinal)!;
            cluster.IsNew = owners.Count == 0;
        }

        // 2. The profiles they lead to (and the ids new people would take), in one read.
        var candidates = clusters.Where(c => !c.Unsupported).ToList();
        var held = (await store.ReadManyAsync<CustomerProfile>(ContainerNames.Profiles, [.. candidates.Select(c => c.Target).Distinct(StringComparer.Ordinal).Select(id => new DocumentAddress(id, id))], cancellationToken))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var cluster in candidates)
        {
            var profile = held.GetValueOrDefault(cluster.Target);
            // A new person's id already taken, or a linked profile that is gone, merged or erased: the one-person path decides.
            cluster.Unsupported = cluster.IsNew ? profile is not null : profile is null || profile.Body.IsRedirect || profile.Body.IsErased;
            cluster.Profile = profile;
        }

        candidates = [.. candidates.Where(c => !c.Unsupported)];
        // Two clusters on one profile (people linked only through the store) would write it twice: leave them to the other path.
        foreach (var shared in candidates.GroupBy(c => c.Target, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var cluster in shared)
            {
                cluster.Unsupported = true;
            }
        }

        candidates = [.. candidates.Where(c => !c.Unsupported)];

        // 3. The orders of the batch that those profiles may already hold, in one read.
        var orderAddresses = new List<DocumentAddress>();
        foreach (var cluster in candidates.Where(c => !c.IsNew))
        {
            foreach (var i in cluster.Records)
            {
                if (records[i].Order is { } order)
                {
                    orderAddresses.Add(new DocumentAddress(ProfileOrders.DocumentId(order.OrderKey), cluster.Target));
                }
            }
        }

        var heldOrders = (await store.ReadManyAsync<OrderRecord>(ContainerNames.Orders, [.. orderAddresses.Distinct()], cancellationToken))
            .ToLookup(d => d.PartitionKey, d => d.Body, StringComparer.Ordinal);

        // 4. Apply in memory and collect the writes.
        var now = clock.GetUtcNow();
        var sets = new List<(Cluster Cluster, List<DocumentWrite> Writes, (int Record, bool Changed)[] Results)>();
        foreach (var cluster in candidates)
        {
            var profile = cluster.Profile?.Body ?? new CustomerProfile { Id = cluster.Target, CreatedAt = now, UpdatedAt = now };
            var orders = new OrderChanges(heldOrders[cluster.Target].ToDictionary(o => o.OrderKey, StringComparer.Ordinal));
            var results = new (int Record, bool Changed)[cluster.Records.Count];
            var changed = cluster.IsNew;
            for (var j = 0; j < cluster.Records.Count; j++)
            {
                var i = cluster.Records[j];
                var recordChanged = ProfileFacts.Apply(profile, records[i], cluster.KeysOf[i], orders, stamps[i]);
                changed |= recordChanged;
                recordChanged |= records[i].Order is { AppliedBy: { } row } order && orders.Current(order.OrderKey)?.AppliedBy == row;
                results[j] = (i, recordChanged || (j == 0 && cluster.IsNew));
            }

            if (orders.TotalsNeedRebuild)
            {
                cluster.Unsupported = true;
                continue;
            }

            var writes = new List<DocumentWrite>();
            if (changed)
            {
                profile.UpdatedAt = now;
                writes.Add(ProfileOrders.Profile(profile, cluster.Profile?.ETag));
                writes.AddRange(orders.Writes(cluster.Target));
            }

            foreach (var key in cluster.Keys)
            {
                var lookupId = ids[key].Keyed;
                if (!linked.ContainsKey(lookupId))
                {
                    writes.Add(DocumentWrite.Create(ContainerNames.Identities, lookupId, lookupId, new IdentityLink(lookupId, cluster.Target, key.Kind)));
                }
            }

            sets.Add((cluster, writes, results));
        }

        // 5. Write: one transaction where the store has them, else one guarded write set per profile, together.
        var written = await WriteAsync(profiles, sets.Select(s => s.Writes).ToList(), cancellationToken);
        for (var s = 0; s < sets.Count; s++)
        {
            if (!written[s])
            {
                sets[s].Cluster.Unsupported = true;
                continue;
            }

            foreach (var (record, changed) in sets[s].Results)
            {
                outcomes[record] = changed ? RecordOutcome.Changed : RecordOutcome.Unchanged;
            }
        }

        left.AddRange(clusters.Where(c => c.Unsupported).SelectMany(c => c.Members));
        return left;
    }

    /// <summary>Writes the sets; per set, whether it was written (false: refused, nothing of it written where that can be promised).</summary>
    private static async Task<bool[]> WriteAsync(ProfileRepository profiles, List<List<DocumentWrite>> sets, CancellationToken cancellationToken)
    {
        // One guarded set per person, sent together: the embedded store's writer commits the sets queued together in one
        // transaction, each set all or none, so a person another writer changed meanwhile (a webhook during an import)
        // fails alone and takes the one-person path, while the rest of the batch is written.
        var written = new bool[sets.Count];
        await Task.WhenAll(sets.Select(async (writes, s) =>
        {
            try
            {
                if (writes.Count > 0)
                {
                    await profiles.WriteAsync(writes, cancellationToken);
                }

                written[s] = true;
            }
            catch (Exception ex) when (ex is DocumentConflictException or DocumentPreconditionFailedException or DocumentNotFoundException)
            {
                // The profile write (first) refused: nothing written. A link created meanwhile: the rest is written and
                // idempotent, and the one-person path finishes the job.
            }
        }));
        return written;
    }

    /// <summary>People whose records share any identity: one person, applied together.</summary>
    private static List<Cluster> ClusterPeople(IReadOnlyList<Person> people)
    {
        var parent = Enumerable.Range(0, people.Count).ToArray();
        int Find(int i) => parent[i] == i ? i : parent[i] = Find(parent[i]);
        var byKey = new Dictionary<IdentityKey, int>();
        for (var p = 0; p < people.Count; p++)
        {
            foreach (var key in people[p].Keys.Concat(people[p].FormerKeys))
            {
                if (byKey.TryGetValue(key, out var other))
                {
                    parent[Find(p)] = Find(other);
                }
                else
                {
                    byKey[key] = p;
                }
            }
        }

        return [.. Enumerable.Range(0, people.Count).GroupBy(Find).Select(g => new Cluster([.. g.Select(p => people[p])]))];
    }

    private sealed class Cluster
    {
        public Cluster(List<Person> members)
        {
            Members = members;
            Keys = [.. members.SelectMany(m => m.Keys).Distinct()];
            FormerKeys = [.. members.SelectMany(m => m.FormerKeys).Distinct()];
            Records = [.. members.SelectMany(m => m.Records).Order()];
            KeysOf = members.SelectMany(m => m.Records.Select(r => (r, m.Keys))).ToDictionary(x => x.r, x => x.Keys);
        }

        public List<Person> Members { get; }

        public List<IdentityKey> Keys { get; }

        public List<IdentityKey> FormerKeys { get; }

        public List<int> Records { get; }

        public Dictionary<int, IReadOnlyList<IdentityKey>> KeysOf { get; }

        public string Target { get; set; } = string.Empty;

        public bool IsNew { get; set; }

        public bool Unsupported { get; set; }

        public StoredDocument<CustomerProfile>? Profile { get; set; }
    }
}
