using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Storage.Tests.Emulators;

/// <summary>
/// The npm packages of the emulators in <c>tests/emulators</c> (the Cosmos DB server there, Azurite in its
/// <c>azurite</c> subfolder), installed on first use with <c>npm ci</c> from the committed package-lock.json. A file
/// lock serializes the install across test classes and test processes; a stamp holding the lock file's hash says an
/// install is complete and current. Each folder has its own node_modules, so installing one never disturbs a server
/// running from another.
/// </summary>
public static class EmulatorPackages
{
    private const string StampName = ".customervalue-installed";
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    /// <summary>The <c>tests/emulators</c> folder of this repository.</summary>
    public static string Folder { get; } = FindFolder();

    /// <summary>
    /// Makes sure the node_modules of <c>tests/emulators/{subfolder}</c> match its package-lock.json, running
    /// <c>npm ci</c> if not; returns the folder.
    /// </summary>
    public static async Task<string> EnsureInstalledAsync(string? subfolder = null, CancellationToken cancellationToken = default)
    {
        var folder = subfolder is null ? Folder : Path.Combine(Folder, subfolder);
        var expected = LockHash(folder);
        if (IsCurrent(folder, expected))
        {
            return folder;
        }

        await InProcess.WaitAsync(cancellationToken);
        try
        {
            using var fileLock = await AcquireFileLockAsync(Path.Combine(folder, ".install.lock"), TimeSpan.FromMinutes(10), cancellationToken);
            if (IsCurrent(folder, expected))
            {
                return folder;
            }

            var stamp = Path.Combine(folder, "node_modules", StampName);
            if (File.Exists(stamp))
            {
                File.Delete(stamp);
            }

            await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
                ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", folder], folder, TimeSpan.FromMinutes(10), cancellationToken);
            await File.WriteAllTextAsync(stamp, expected, cancellationToken);
            return folder;
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

    private static string LockHash(string folder) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "package-lock.json"))));

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

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
        }
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "emulators");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/emulators not found above {AppContext.BaseDirectory}.");
    }
}
