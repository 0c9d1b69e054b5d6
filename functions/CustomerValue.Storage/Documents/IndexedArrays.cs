namespace CustomerValue.Storage.Documents;

/// <summary>
/// The top-level array properties that <see cref="IDocumentStore.QueryArrayContainsAsync{T}"/> may search. Cosmos DB
/// indexes every path by default, so <c>ARRAY_CONTAINS</c> on them is an index lookup there; the embedded store keeps a
/// side table for exactly these, maintained in the same transaction as every write of the container, so a query never
/// reads documents that do not match.
/// </summary>
public static class IndexedArrays
{
    /// <summary>A profile's segments (<c>segments</c>): a segment's members are found without reading other profiles.</summary>
    public static IndexedArray ProfileSegments { get; } = new(ContainerNames.Profiles, "segments");

    /// <summary>Every indexed array.</summary>
    public static IReadOnlyList<IndexedArray> All { get; } = [ProfileSegments];

    /// <summary>True when the property of the container is indexed.</summary>
    public static bool IsIndexed(string container, string property) =>
        All.Any(a => a.Container == container && a.Property == property);
}

/// <summary>An indexed top-level array of strings.</summary>
/// <param name="Container">The container.</param>
/// <param name="Property">The JSON property name of the array (camelCase, as stored).</param>
public sealed record IndexedArray(string Container, string Property);
