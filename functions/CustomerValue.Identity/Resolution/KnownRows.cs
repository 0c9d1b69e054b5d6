using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// Recognises the records of a re-uploaded export that are already applied, by their order's id alone: one index query
/// for a whole batch, no profile, identity link or order body read, nothing written.
/// <para>
/// Each order an import writes carries a stamp (<see cref="DocumentWrite.Stamp"/>): a digest of the record that made
/// its version (everything the record says, but not which import sent it) and of the settings its identities were
/// matched under (<see cref="RecordDigest"/>), whichever path applied it. A record whose order still carries its own
/// digest was applied to the profile holding that order, and applying it again changes nothing: its identities, names
/// and order version are there, and facts only grow (names and versions are last-writer-wins by their own time). A
/// merge moves the order with its stamp: the survivor then holds every fact of the absorbed profile and its identities
/// lead there. Whatever takes facts away rewrites or deletes the order (an erasure deletes it, a newer version or a
/// webhook replaces it), and a write without a stamp clears it, so the record takes the full path again. Stores that
/// keep no stamps recognise nothing.
/// </para>
/// </summary>
internal sealed class KnownRows
{
    private readonly RecordDigest _digest;
    private readonly IDocumentStore _store;

    /// <param name="store">The store holding the orders.</param>
    /// <param name="defaultRegion">The region phone numbers are read in: another one may match other identities.</param>
    /// <param name="links">The identity links: another lookup key finds other links.</param>
    public KnownRows(IDocumentStore store, string defaultRegion, IdentityLinkIndex links)
    {
        ArgumentNullException.ThrowIfNull(links);
        _store = store;
        var probe = links.LookupId(new IdentityKey(IdentityKind.Email, "stamp-context@customer-value.invalid"));
        _digest = new RecordDigest($"{defaultRegion}|{probe}|");
    }

    /// <summary>The stamp each record's order is written with (null for records without an order).</summary>
    public string?[] StampsOf(IReadOnlyList<CustomerActivity> records) => _digest.Of(records);

    /// <summary>
    /// Which records' orders carry the record's own stamp: one query for the batch, the stamps compared by the store
    /// (<see cref="IDocumentStore.MatchStampsAsync"/>), so a known record costs no string. A record of an order held by
    /// two profiles (a merge under way) counts as known when one of them carries its stamp. An order stamped by an
    /// earlier version carries the digest of the record's JSON (<see cref="RecordDigest.Legacy"/>), which is computed
    /// only for a record whose order carries a stamp other than its own.
    /// </summary>
    public async Task<bool[]> FindAsync(IReadOnlyList<CustomerActivity> records, string?[] stamps, CancellationToken cancellationToken)
    {
        var known = new bool[records.Count];
        var ids = new List<string>(records.Count);
        var asked = new List<string>(records.Count);
        var positions = new List<int>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Order is { } order && stamps[i] is { } stamp)
            {
                ids.Add(ProfileOrders.DocumentId(order.OrderKey));
                asked.Add(stamp);
                positions.Add(i);
            }
        }

        if (ids.Count == 0)
        {
            return known;
        }

        var matches = await _store.MatchStampsAsync(ContainerNames.Orders, ids, asked, cancellationToken);
        for (var j = 0; j < ids.Count; j++)
        {
            known[positions[j]] = matches.IsMatched(j);
        }

        foreach (var other in matches.Others)
        {
            var i = positions[other.Index];
            known[i] = known[i] || string.Equals(other.Stamp, _digest.Legacy(records[i]), StringComparison.Ordinal);
        }

        return known;
    }
}
