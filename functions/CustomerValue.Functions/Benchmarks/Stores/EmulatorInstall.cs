using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Functions.Benchmarks.Stores;

/// <summary>
/// Installs the npm packages of <c>tests/emulators</c> on first use, exactly as the storage tests do
/// (tests/CustomerValue.Storage.Tests/Emulators/EmulatorPackages.cs): <c>npm ci --prefer-offline</c> from the committed
/// package-lock.json, under the same file lock, with the same stamp (the lock file's hash in
/// <c>node_modules/.customervalue-installed</c>), so the bench and a test run never install over each other and an
/// install made by either counts for both.
/// </summary>
internal static class EmulatorInstall
{
    private const string StampName = ".customervalue-installed";

    /// <summary>Makes sure <paramref name="folder"/>'s node_modules match its package-lock.json; runs <c>npm ci</c> if not.</summary>
    /// <returns>True when npm ran.</returns>
    public static async Task<bool> EnsureInstalledAsync(string folder, TextWriter progress, CancellationToken cancellationToken)
    {
        var lockFile = Path.Combine(folder, "package-lock.json");
        if (!File.Exists(lockFile))
        {
            throw new BenchSetupException($"{lockFile} is missing: this checkout has no Cosmos-API server to start.");
        }

        var expected = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(lockFile, cancellationToken)));
        if (IsCurrent(folder, expected))
        {
            return false;
        }

        using var fileLock = await AcquireFileLockAsync(Path.Combine(folder, ".install.lock"), TimeSpan.FromMinutes(10), cancellationToken);
        if (IsCurrent(folder, expected))
        {
            return false; // another process installed it while we waited
        }

        var stamp = Path.Combine(folder, "node_modules", StampName);
        if (File.Exists(stamp))
        {
            File.Delete(stamp);
        }

        progress.WriteLine($"Installing the Cosmos-API server's npm packages: npm ci --prefer-offline in {folder} ...");
        progress.Flush();
        await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
            ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", folder], folder, TimeSpan.FromMinutes(10), cancellationToken);
        await File.WriteAllTextAsync(stamp, expected, cancellationToken);
        return true;
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

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchSetupException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new BenchSetupException($"Could not start {fileName} (is Node.js with npm installed and on PATH?): {ex.Message}", ex);
        }

        using (process)
        {
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
                cancellationToken.ThrowIfCancellationRequested();
                throw new BenchSetupException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
            }

            if (process.ExitCode != 0)
            {
                throw new BenchSetupException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
            }
        }
    }
}
