using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CustomerValue.LocalServers;

/// <summary>
/// A server run as a Node script on 127.0.0.1: started, considered ready when its output matches the listening line
/// (which also tells the port it chose), and stopped by closing its stdin (the scripts in tests/emulators exit then,
/// so a test host or bench that dies leaves no server behind) or, after a grace period, killed. Its output is kept
/// (up to 64 KB) for failure messages.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private const int MaxLog = 64 * 1024;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private NodeServer(Process process) => _process = process;

    /// <summary>What the server printed (stdout and stderr).</summary>
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

    /// <summary>The OS process id of node.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts <c>node {folder}/{script} {arguments}</c> in <paramref name="folder"/> and waits until a line matches
    /// <paramref name="listening"/>. <paramref name="name"/> names the server in error messages.
    /// </summary>
    /// <returns>The server and the match of its listening line.</returns>
    /// <exception cref="LocalServerException">node could not be started, or the server exited or stayed silent for 30 s.</exception>
    public static async Task<(NodeServer Server, Match Listening)> StartAsync(
        string name, string folder, string script, IEnumerable<string> arguments, Regex listening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(listening);
        var start = new ProcessStartInfo(NodeTools.Node)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(folder, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var server = new NodeServer(NodeTools.Start(start));
        var ready = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        server._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new LocalServerException($"{name} exited before it was ready:\n{server.Log}"));
                return;
            }

            server.Append(e.Data);
            if (listening.Match(e.Data) is { Success: true } match)
            {
                ready.TrySetResult(match);
            }
        };
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            return (server, await ready.Task.WaitAsync(ReadyTimeout, cancellationToken));
        }
        catch (Exception ex) when (ex is TimeoutException or LocalServerException or OperationCanceledException)
        {
            await server.DisposeAsync();
            if (ex is TimeoutException)
            {
                throw new LocalServerException($"{name} did not report that it listens within {ReadyTimeout.TotalSeconds:0} s:\n{server.Log}", ex);
            }

            throw;
        }
    }

    /// <summary>Stops the server: closes its stdin, and kills it (with its children) if it has not exited 3 s later.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the scripts exit when their stdin closes ...
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true); // ... or are ended here.
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < MaxLog)
            {
                _log.AppendLine(line);
            }
        }
    }
}
