namespace CustomerValue.Storage.Documents;

/// <summary>
/// What <see cref="IDocumentStore.MatchStampsAsync"/> found for a list of (id, stamp) pairs: which pairs a document
/// carries, and for the others the stamps their documents carry instead. Pairs are named by their position in the
/// lists asked about.
/// </summary>
public sealed class StampMatches
{
    private readonly bool[] _matched;

    /// <param name="matched">One flag per pair: a document with the id carries the stamp.</param>
    /// <param name="others">For pairs not matched, each stamp another document of the id carries.</param>
    public StampMatches(bool[] matched, IReadOnlyList<OtherStamp> others)
    {
        ArgumentNullException.ThrowIfNull(matched);
        ArgumentNullException.ThrowIfNull(others);
        _matched = matched;
        Others = others;
    }

    /// <summary>How many pairs were asked about.</summary>
    public int Count => _matched.Length;

    /// <summary>
    /// For pairs not matched, the stamps the documents of their id carry (none for an id without a stamped document);
    /// usually few or none.
    /// </summary>
    public IReadOnlyList<OtherStamp> Others { get; }

    /// <summary>Whether a document with the id of pair <paramref name="index"/> carries its stamp.</summary>
    public bool IsMatched(int index) => _matched[index];
}

/// <summary>A stamp a document carries that is not the one asked about (<see cref="StampMatches.Others"/>).</summary>
/// <param name="Index">The position of the pair asked about.</param>
/// <param name="Stamp">The stamp the document carries.</param>
public readonly record struct OtherStamp(int Index, string Stamp);
