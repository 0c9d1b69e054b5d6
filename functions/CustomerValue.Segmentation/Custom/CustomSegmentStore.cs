using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// The custom segments saved through <c>PUT api/segments/{name}</c>: one document per segment in the <c>segments</c>
/// container (id = name). Only validated definitions are written, so a refused definition leaves nothing behind.
/// </summary>
public sealed class CustomSegmentStore(IDocumentStore store)
{
    /// <summary>Every saved definition, by name.</summary>
    public async Task<IReadOnlyList<CustomSegmentDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        var definitions = new List<CustomSegmentDefinition>();
        await foreach (var document in store.ScanAsync<CustomSegmentDefinition>(ContainerNames.Segments, cancellationToken).ConfigureAwait(false))
        {
            definitions.Add(document.Body);
        }

        return [.. definitions.OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    /// <summary>The saved definition of that name, or null.</summary>
    public async Task<CustomSegmentDefinition?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsStorableName(name)
            ? (await store.ReadAsync<CustomSegmentDefinition>(ContainerNames.Segments, name, name, cancellationToken).ConfigureAwait(false))?.Body
            : null;
    }

    /// <summary>
    /// Validates and saves a definition (creating or replacing it); returns true when it was new.
    /// </summary>
    /// <exception cref="CustomSegmentException">The definition is refused; nothing was written.</exception>
    public async Task<bool> SaveAsync(CustomSegmentDefinition definition, CancellationToken cancellationToken = default)
    {
        var segment = CustomSegment.Create(definition);
        var existed = await FindAsync(segment.Name, cancellationToken).ConfigureAwait(false) is not null;
        await store.UpsertAsync(ContainerNames.Segments, segment.Name, segment.Name, segment.Definition, cancellationToken).ConfigureAwait(false);
        return !existed;
    }

    /// <summary>Deletes a saved definition; false when there was none.</summary>
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsStorableName(name) ? store.DeleteAsync(ContainerNames.Segments, name, name, cancellationToken) : Task.FromResult(false);
    }

    // Names that could never have been saved are not looked up: the store would refuse some of them as ids.
    private static bool IsStorableName(string name) => name.Length is > 0 and <= 64 && name.AsSpan().IndexOfAny("/\\?#") < 0;
}
