using System.Globalization;
using System.Runtime.CompilerServices;

using CustomerValue.Storage.Exports;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The local stand-in for the <c>pos-exports</c> container: a folder inbox, with reports written to a sibling
/// folder <c>pos-exports-reports/</c> as the Azure deployment writes them to a sibling container.
/// <para>
/// An upload is pinned the way a blob's ETag pins it: <see cref="OpenReadAsync(PosExportInfo, CancellationToken)"/>
/// copies the file to a private snapshot (sibling folder <c>pos-exports-snapshots/</c>, deleted when the stream is
/// closed) and checks the version before and after the copy, because a file overwritten in place while it is read
/// would otherwise be imported as a mix of both versions. The copy costs one sequential read and write of the file.
/// </para>
/// </summary>
public sealed class FolderPosExportStorage : IPosExportStorage
{
    private readonly string _inbox;
    private readonly string _reports;
    private readonly string _snapshots;

    /// <summary>Uses <paramref name="inbox"/> for exports and <c>{inbox}-reports</c> for reports.</summary>
    public FolderPosExportStorage(string inbox)
    {
        _inbox = Path.TrimEndingDirectorySeparator(Path.GetFullPath(inbox));
        _reports = _inbox.TrimEnd(Path.DirectorySeparatorChar) + "-reports";
        _snapshots = _inbox.TrimEnd(Path.DirectorySeparatorChar) + "-snapshots";
        Directory.CreateDirectory(_inbox);
        Directory.CreateDirectory(_reports);
        Directory.CreateDirectory(_snapshots);
        RemoveAbandonedSnapshots();
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
        var snapshot = Path.Combine(_snapshots, Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            if ((await GetInfoAsync(export.Name, cancellationToken))?.Version != export.Version)
            {
                throw new PosExportChangedException(export.Name);
            }

            await using (var source = await OpenReadAsync(export.Name, cancellationToken))
            await using (var copy = new FileStream(snapshot, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(copy, cancellationToken);
            }

            // Written to during the copy: the snapshot may hold a mix, and the new version is announced on its own.
            if ((await GetInfoAsync(export.Name, cancellationToken))?.Version != export.Version || new FileInfo(snapshot).Length != export.Length)
            {
                throw new PosExportChangedException(export.Name);
            }

            return new FileStream(snapshot, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan | FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(snapshot);
            throw;
        }
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

    /// <summary>Deletes snapshots a killed process left behind (a live import's snapshot is younger than a day).</summary>
    private void RemoveAbandonedSnapshots()
    {
        foreach (var file in new DirectoryInfo(_snapshots).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1))
            {
                try
                {
                    file.Delete();
                }
                catch (IOException)
                {
                    // Still open somewhere: the next start tries again.
                }
            }
        }
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
