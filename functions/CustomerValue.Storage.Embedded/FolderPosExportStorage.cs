using System.Globalization;
using System.Runtime.CompilerServices;

using CustomerValue.Storage.Exports;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The local stand-in for the <c>pos-exports</c> container: a folder inbox, with reports written to a sibling
/// folder <c>pos-exports-reports/</c> as the Azure deployment writes them to a sibling container.
/// </summary>
public sealed class FolderPosExportStorage : IPosExportStorage
{
    private readonly string _inbox;
    private readonly string _reports;

    /// <summary>Uses <paramref name="inbox"/> for exports and <c>{inbox}-reports</c> for reports.</summary>
    public FolderPosExportStorage(string inbox)
    {
        _inbox = Path.TrimEndingDirectorySeparator(Path.GetFullPath(inbox));
        _reports = _inbox.TrimEnd(Path.DirectorySeparatorChar) + "-reports";
        Directory.CreateDirectory(_inbox);
        Directory.CreateDirectory(_reports);
    }

    /// <inheritdoc />
    public string Location => _inbox;

    /// <summary>The folder that receives import reports.</summary>
    public string ReportsFolder => _reports;

    /// <inheritdoc />
    public Task<PosExportInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(_inbox, name));
        return Task.FromResult(file.Exists ? Describe(name, file) : null);
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(PathOf(_inbox, name), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan | FileOptions.Asynchronous));

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(PosExportInfo export, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        var stream = await OpenReadAsync(export.Name, cancellationToken);
        var current = await GetInfoAsync(export.Name, cancellationToken);
        if (current?.Version != export.Version)
        {
            await stream.DisposeAsync();
            throw new PosExportChangedException(export.Name);
        }

        return stream;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<PosExportInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (var path in Directory.EnumerateFiles(_inbox, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(_inbox, path).Replace(Path.DirectorySeparatorChar, '/');
            // Files still being written by an uploader are skipped by their temporary names.
            if (name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".partial", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return Describe(name, new FileInfo(path));
        }
    }

    /// <inheritdoc />
    public async Task WriteReportAsync(string exportName, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        var target = PathOf(_reports, $"{exportName}.{fileName}");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        File.Move(temporary, target, overwrite: true);
    }

    private static PosExportInfo Describe(string name, FileInfo file) =>
        new(name, file.Length, string.Create(CultureInfo.InvariantCulture, $"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}"));

    private static string PathOf(string root, string name)
    {
        var full = Path.GetFullPath(Path.Combine(root, name));
        // A blob name must never escape the inbox (e.g. "../../etc/passwd").
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Export name '{name}' points outside the inbox.", nameof(name));
        }

        return full;
    }
}
