using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CustomerValue.Storage.Tests.Emulators;

/// <summary>
/// An emulator run as a Node script on 127.0.0.1: started, considered ready when its output matches the listening
/// line (which also tells the port it chose), and stopped by closing its stdin (the scripts exit then) or, after a
/// grace period, killed. Its output is kept (up to 64 KB) for failure messages.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private NodeServer(Process process) => _process = process;

    /// <summary>What the emulator printed.</summary>
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

    /// <summary>Starts <paramref name="script"/> in <paramref name="folder"/> and waits until a line matches <paramref name="listening"/>.</summary>
    /// <returns>The server and the match of its listening line.</returns>
    public static async Task<(NodeServer Server, Match Listening)> StartAsync(string name, string folder, string script, IEnumerable<string> arguments, Regex listening)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "node.exe" : "node")
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

        var server = new NodeServer(Process.Start(start) ?? throw new InvalidOperationException("Could not start node."));
        var ready = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        server._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException($"{name} exited before it was ready:\n{server.Log}"));
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
            return (server, await ready.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch (TimeoutException ex)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"{name} did not report that it listens within 30 s:\n{server.Log}", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close(); // the scripts exit when their stdin closes ...
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
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
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }
    }
}
