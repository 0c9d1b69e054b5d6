using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// Applies a batch of records — a slice of a POS export — with far fewer store operations than one record at a time:
/// the batch is resolved as a set (<see cref="SetResolution"/>: one read of the identity links, one of the profiles,
/// one of the orders, one write set), and the people the set path leaves (merges and other rare cases) are applied
/// one person at a time, their records together, different people concurrently. The outcome is the same as applying every record with <see cref="ProfileResolver.ApplyAsync"/> in any
/// order, because profile facts do not depend on the order in which they arrive (see the resolver's property tests).
/// </summary>
public sealed class ProfileBatchApplier(ProfileResolver resolver, IdentityNormalizer normalizer)
{
    /// <summary>People applied at once by default: enough to fill the store's group commits, few enough to keep memory small.</summary>
    public const int DefaultParallelism = 256;

    /// <summary>Applies the records; returns each record's outcome, in the order given.</summary>
    public async Task<RecordOutcome[]> ApplyAsync(IReadOnlyList<CustomerActivity> records, int parallelism = DefaultParallelism, CancellationToken cancellationToken = default) =>
        await ApplyAsync(records, parallelism, setWise: true, cancellationToken);

    /// <summary>
    /// Applies the records; with <paramref name="setWise"/> false every person takes the one-person path (the reference the
    /// set path is tested against).
    /// </summary>
    public Task<RecordOutcome[]> ApplyAsync(IReadOnlyList<CustomerActivity> records, int parallelism, bool setWise, CancellationToken cancellationToken = default) =>
        ApplyAsync(records, parallelism, setWise, recogniseKnownRows: false, cancellationToken);

    /// <summary>
    /// Applies the records. With <paramref name="recogniseKnownRows"/>, records already applied (by any import: a
    /// re-upload) are recognised first by their order's id alone, with one query for the batch, and counted
    /// <see cref="RecordOutcome.Unchanged"/> without reading or writing anything (<see cref="KnownRows"/>); the rest
    /// take the usual path. A caller must not ask for it where a record may already be applied under its own
    /// <see cref="OrderRecord.AppliedBy"/> (the first batch of a resumed import), which counts as
    /// <see cref="RecordOutcome.Changed"/>.
    /// </summary>
    public async Task<RecordOutcome[]> ApplyAsync(IReadOnlyList<CustomerActivity> records, int parallelism, bool setWise, bool recogniseKnownRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var outcomes = new RecordOutcome[records.Count];
        var stamps = resolver.KnownRows.StampsOf(records);
        var known = recogniseKnownRows ? await resolver.KnownRows.FindAsync(records, stamps, cancellationToken) : new bool[records.Count];
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        var nameless = new List<int>();
        // Normalizing a phone number costs more than the rest of a row, and a signature is a SHA-256 per identity: a
        // person's repeated raw identities are normalized and signed once.
        var normalized = new Dictionary<RawIdentities, (IReadOnlyList<IdentityKey> Keys, string Signature)>(RawIdentitiesComparer.Instance);
        for (var i = 0; i < records.Count; i++)
        {
            if (known[i])
            {
                outcomes[i] = RecordOutcome.Unchanged;
                continue;
            }

            var raw = records[i].Identities;
            if (!normalized.TryGetValue(raw, out var normal))
            {
                var found = normalizer.Normalize(raw);
                normal = (found, found.Count switch
                {
                    0 => string.Empty,
                    1 => found[0].LookupId,
                    _ => string.Join('|', found.Select(k => k.LookupId)),
                });
                normalized[raw] = normal;
            }

            var (keys, signature) = normal;
            if (keys.Count == 0)
            {
                nameless.Add(i);
                continue;
            }

            if (!people.TryGetValue(signature, out var person))
            {
                people[signature] = person = new Person(keys);
            }

            person.Records.Add(i);
        }

        // Most people of a batch are resolved as a set, with a few store calls for the whole batch; the rest (merges and
        // other cases the set path leaves) one person at a time, concurrently.
        var set = people.Values.Select(p => new SetResolution.Person(p.Keys, FormerKeys(records, p.Records), p.Records)).ToList();
        var left = setWise && set.Count > 0 ? await resolver.ApplySetAsync(set, records, stamps, outcomes, cancellationToken) : set;
        await Parallel.ForEachAsync(left, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken }, async (person, ct) =>
        {
            var group = await resolver.ApplyGroupAsync([.. person.Records.Select(i => records[i])], person.Keys, [.. person.Records.Select(i => stamps[i])], ct);
            for (var j = 0; j < person.Records.Count; j++)
            {
                outcomes[person.Records[j]] = group.RecordChanged[j] || (j == 0 && group.Result.Changed) ? RecordOutcome.Changed : RecordOutcome.Unchanged;
            }
        });

        // Records that name nobody may still belong to a known order (a return reported on its own): after the people,
        // so that an order imported in this same batch is found.
        foreach (var i in nameless)
        {
            var result = records[i].Order is null ? null : await resolver.ApplyAsync(records[i], cancellationToken);
            outcomes[i] = result is null ? RecordOutcome.Anonymous : result.Changed ? RecordOutcome.Changed : RecordOutcome.Unchanged;
        }

        return outcomes;
    }

    /// <summary>The older forms of the source ids of a person's records (none, for nearly every person, without a query).</summary>
    private static IReadOnlyList<IdentityKey> FormerKeys(IReadOnlyList<CustomerActivity> records, List<int> indexes) =>
        indexes.TrueForAll(i => records[i].Identities.FormerSourceCustomerIds.Count == 0) ? []
            : [.. indexes.SelectMany(i => ProfileResolver.FormerKeys(records[i].Identities)).Distinct()];

    private sealed class Person(IReadOnlyList<IdentityKey> keys)
    {
        public IReadOnlyList<IdentityKey> Keys { get; } = keys;

        public List<int> Records { get; } = [];
    }
}
