namespace CustomerValue.Storage.Exports;

/// <summary>A POS export as stored: its name and a version that changes whenever its content is replaced.</summary>
/// <param name="Name">Blob or file name inside the exports container.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="Version">ETag of the blob (or length and write time of a file); identifies one upload.</param>
public sealed record PosExportInfo(string Name, long Length, string Version);

/// <summary>
/// Where POS exports are uploaded and where their import reports go: the <c>pos-exports</c> blob container in
/// Azure, a folder inbox locally. Exports are always streamed, never loaded whole.
/// </summary>
public interface IPosExportStorage
{
    /// <summary>A human-readable location for messages, e.g. a folder path or a container URL.</summary>
    string Location { get; }

    /// <summary>Describes an export; null when it does not exist.</summary>
    Task<PosExportInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Opens an export for sequential reading.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens exactly the upload <paramref name="export"/> describes; throws <see cref="PosExportChangedException"/>
    /// when the export was replaced since, so an import is never counted under another upload's identity.
    /// </summary>
    Task<Stream> OpenReadAsync(PosExportInfo export, CancellationToken cancellationToken = default);

    /// <summary>Lists the exports currently present (local mode polls this).</summary>
    IAsyncEnumerable<PosExportInfo> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes an import artefact (report, quarantined rows) next to the export, replacing an older one.</summary>
    Task WriteReportAsync(string exportName, string fileName, Stream content, CancellationToken cancellationToken = default);
}

/// <summary>The export was replaced between describing and opening it; its new version is imported on its own.</summary>
public sealed class PosExportChangedException(string name)
    : Exception($"POS export '{name}' was replaced while it was being opened.");
