using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CustomerValue.Functions.Benchmarks.Stores;

/// <summary>
/// The open-source Cosmos-API server of the tests (<c>tests/emulators/cosmos-server.js</c>, which wraps
/// @vercel/cosmosdb-server, in memory) run as a child process, started the way the storage tests' fixture starts it
/// (CosmosEmulatorFixture + NodeServer): <c>node cosmos-server.js --host 127.0.0.1 --port 0 --cert … --key … --quiet</c>
/// with a certificate made for this run, ready when it prints its listening line (which tells the port the OS chose),
/// stopped by closing its stdin (the script exits then) or, after a grace period, killed. Its output is kept (up to
/// 64 KB) for error messages.
/// </summary>
internal sealed partial class CosmosServerProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private CosmosServerProcess(Process process) => _process = process;

    /// <summary>The endpoint, e.g. https://127.0.0.1:40123/.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The OS process id of node.</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the server printed.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <c>cosmos-server.js</c> in <paramref name="folder"/> over HTTPS with <paramref name="certificate"/>.</summary>
    public static async Task<CosmosServerProcess> StartAsync(string folder, EmulatorCertificate certificate, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "node.exe" : "node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        foreach (var argument in (string[])[Path.Combine(folder, "cosmos-server.js"), "--host", "127.0.0.1", "--port", "0", "--cert", certificate.CertificatePath, "--key", certificate.KeyPath, "--quiet"])
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BenchSetupException("Could not start node.");
        }
        catch (Win32Exception ex)
        {
            throw new BenchSetupException($"Could not start node (is Node.js installed and on PATH?): {ex.Message}", ex);
        }

        var server = new CosmosServerProcess(process);
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new BenchSetupException($"cosmos-server.js exited before it was ready:\n{server.Log}"));
                return;
            }

            server.Append(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.Endpoint = await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return server;
        }
        catch (Exception ex) when (ex is TimeoutException or BenchSetupException or OperationCanceledException)
        {
            await server.DisposeAsync();
            if (ex is TimeoutException)
            {
                throw new BenchSetupException($"cosmos-server.js did not report that it listens within 30 s:\n{server.Log}", ex);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the script exits when its stdin closes ...
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true); // ... or is ended here.
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"listening on (?<url>https://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningLine();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }
}
