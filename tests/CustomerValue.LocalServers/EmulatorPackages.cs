using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.LocalServers;

/// <summary>
/// The npm packages of the servers in <c>tests/emulators</c> (the Cosmos-API server there, Azurite in its
/// <c>azurite</c> subfolder), installed on first use with <c>npm ci --prefer-offline</c> from the committed
/// package-lock.json. A file lock (<c>.install.lock</c>) serializes the install across test classes, test processes
/// and the bench; a stamp holding the lock file's hash (<c>node_modules/.customervalue-installed</c>) says an install
/// is complete and current, so an install made by any of them counts for all. Each folder has its own node_modules, so
/// installing one never disturbs a server running from another.
/// </summary>
public static class EmulatorPackages
{
    private const string StampName = ".customervalue-installed";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    // The file lock polls; this lets the callers of one process queue up without that.
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>The <c>tests/emulators</c> folder of this repository (see <see cref="RepositoryRoot.Find"/>).</summary>
    /// <exception cref="LocalServerException">The app runs outside a checkout.</exception>
    public static string Folder => Path.Combine(RepositoryRoot.Find(), RepositoryRoot.EmulatorsFolder);

    /// <summary>
    /// Makes sure the node_modules of <c>tests/emulators/{subfolder}</c> match its package-lock.json, running
    /// <c>npm ci</c> if not (and saying so on <paramref name="progress"/>, as it takes a minute).
    /// </summary>
    /// <returns>The folder, and whether npm ran for this call.</returns>
    /// <exception cref="LocalServerException">The folder or its lock file is missing, or npm could not run or failed.</exception>
    public static async Task<(string Folder, bool Installed)> EnsureInstalledAsync(string? subfolder = null, TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = subfolder is null ? Folder : Path.Combine(Folder, subfolder);
        var lockFile = Path.Combine(folder, "package-lock.json");
        if (!File.Exists(lockFile))
        {
            throw new LocalServerException($"{lockFile} is missing: this checkout has no server to install there.");
        }

        var expected = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(lockFile, cancellationToken)));
        if (IsCurrent(folder, expected))
        {
            return (folder, false);
        }

        await InProcess.WaitAsync(cancellationToken);
        try
        {
            using var fileLock = await AcquireFileLockAsync(Path.Combine(folder, ".install.lock"), InstallTimeout, cancellationToken);
            if (IsCurrent(folder, expected))
            {
                return (folder, false); // another process installed it while we waited
            }

            var stamp = Path.Combine(folder, "node_modules", StampName);
            if (File.Exists(stamp))
            {
                File.Delete(stamp);
            }

            progress?.WriteLine($"Installing the npm packages of {folder}: npm ci --prefer-offline ...");
            progress?.Flush();
            await RunAsync(NodeTools.Npm, ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", folder], folder, cancellationToken);
            await File.WriteAllTextAsync(stamp, expected, cancellationToken);
            return (folder, true);
        }
        finally
        {
            InProcess.Release();
        }
    }

    private static bool IsCurrent(string folder, string expected)
    {
        var stamp = Path.Combine(folder, "node_modules", StampName);
        return File.Exists(stamp) && string.Equals(File.ReadAllText(stamp).Trim(), expected, StringComparison.Ordinal);
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (deadline.Elapsed < timeout)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = NodeTools.Start(start);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested(); // the caller gave up: say so, not "timed out"
            throw new LocalServerException($"{fileName} {string.Join(' ', arguments)} did not finish within {InstallTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new LocalServerException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
        }
    }
}
