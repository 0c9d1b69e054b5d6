namespace CustomerValue.Storage.Documents;

/// <summary>
/// The containers whose documents <see cref="IDocumentStore.FindByIdAsync{T}"/> may find by id alone, whatever their
/// partition: an order is found by its id without knowing which person's partition holds it. Cosmos DB indexes every
/// <c>id</c>, so the lookup is one cross-partition index query there; the embedded store keeps a partial index on the
/// id of exactly these containers.
/// </summary>
public static class IdLookups
{
    /// <summary>Every container that may be searched by id.</summary>
    public static IReadOnlyList<string> Containers { get; } = [ContainerNames.Orders];

    /// <summary>True when documents of the container may be found by id alone.</summary>
    public static bool IsSearchable(string container) => Containers.Contains(container, StringComparer.Ordinal);
}
