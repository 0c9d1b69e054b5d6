namespace CustomerValue.Storage.Documents;

/// <summary>Matches (id, stamp) pairs against the stamps a store listed (<see cref="IDocumentStore.FindStampsAsync"/>).</summary>
public static class StampMatching
{
    /// <summary>The pairs of <paramref name="ids"/> and <paramref name="stamps"/> that <paramref name="found"/> holds, and the other stamps of the rest.</summary>
    public static StampMatches Match(IReadOnlyList<string> ids, IReadOnlyList<string> stamps, IReadOnlyList<DocumentStamp> found)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(stamps);
        ArgumentNullException.ThrowIfNull(found);
        var byId = found.ToLookup(s => s.Id, s => s.Stamp, StringComparer.Ordinal);
        var matched = new bool[ids.Count];
        var others = new List<OtherStamp>();
        for (var i = 0; i < ids.Count; i++)
        {
            var held = byId[ids[i]];
            matched[i] = held.Contains(stamps[i], StringComparer.Ordinal);
            if (!matched[i])
            {
                others.AddRange(held.Select(stamp => new OtherStamp(i, stamp)));
            }
        }

        return new StampMatches(matched, others);
    }
}
