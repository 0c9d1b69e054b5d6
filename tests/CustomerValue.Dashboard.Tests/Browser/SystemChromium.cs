using System.Diagnostics;

namespace CustomerValue.Dashboard.Tests.Browser;

/// <summary>
/// Debian's chromium as the browser Playwright drives. Playwright's own download cannot run on these machines, so the
/// tests install the distribution's package when it is missing (as root in CI, non-interactively) and pass its path.
/// </summary>
public static class SystemChromium
{
    /// <summary>Where Debian installs it.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>Makes sure the executable exists, installing the package if needed.</summary>
    public static async Task EnsureInstalledAsync()
    {
        if (File.Exists(ExecutablePath))
        {
            return;
        }

        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(ExecutablePath))
            {
                return;
            }

            await RunAsync("apt-get", "update -qq");
            await RunAsync("apt-get", "install -y -qq --no-install-recommends chromium");
            if (!File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException($"apt-get installed chromium but {ExecutablePath} is still missing.");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {arguments} failed ({process.ExitCode}); installing chromium needs root and the Debian package feed.\n{await output}\n{await error}");
        }
    }
}
