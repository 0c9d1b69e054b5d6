using System.Diagnostics;
using System.Globalization;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>The <c>wrk</c> load generator (Debian package <c>wrk</c>) as a child process running <c>webhooks.lua</c>.</summary>
/// <param name="Executable">wrk's full path.</param>
public sealed record WrkProcess(string Executable)
{
    /// <summary>What to tell a user whose machine has no wrk.</summary>
    public const string InstallHint = "wrk is not installed: install it (Debian/Ubuntu: sudo apt-get install -y wrk) or pass --wrk PATH.";

    /// <summary>The script, copied beside the benchmark.</summary>
    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "Wrk", "webhooks.lua");

    /// <summary>
    /// <paramref name="wrk"/> as a file, or looked up on the PATH when it is a bare name; null when it is not found.
    /// </summary>
    public static WrkProcess? Locate(string wrk)
    {
        ArgumentException.ThrowIfNullOrEmpty(wrk);
        if (wrk.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(wrk) ? new WrkProcess(Path.GetFullPath(wrk)) : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, wrk))
            .Where(File.Exists)
            .Select(path => new WrkProcess(path))
            .FirstOrDefault();
    }

    /// <summary>Runs wrk with <c>--latency</c> against <paramref name="baseAddress"/> for <paramref name="duration"/> and reads its result.</summary>
    public async Task<WrkResult> RunAsync(Uri baseAddress, WrkRequestFiles requests, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(requests);
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--threads", requests.Threads.ToString(CultureInfo.InvariantCulture),
            "--connections", connections.ToString(CultureInfo.InvariantCulture),
            "--duration", string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(duration.TotalSeconds)}s"),
            // A slow answer is a latency to report, not a socket error: far above any target.
            "--timeout", "10s",
            "--latency",
            "--script", Script,
            new Uri(baseAddress, WrkRequestFiles.WebhookPath).ToString(),
            "--", requests.Prefix,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Executable}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await error} {await output}");
        }

        return WrkResult.Parse(await output);
    }
}
