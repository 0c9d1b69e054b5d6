using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CustomerValue.LocalServers;

/// <summary>
/// The function app's server (<c>CustomerValue.Functions.dll</c>, next to the caller's assembly) as its own process on
/// 127.0.0.1, for tests that kill it and benchmarks that watch its memory from outside. Settings are passed as
/// environment variables; its output is kept (the last 64 KB) for failure messages.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private const int MaxLog = 64 * 1024;
    private const long MaxLogFile = 32L * 1024 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private StreamWriter? _logFile;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>A client for the server's address.</summary>
    public HttpClient Client { get; }

    /// <summary>What the server printed last.</summary>
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

    /// <summary>A port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server on <paramref name="port"/> with its data in <paramref name="dataDir"/>.</summary>
    /// <param name="dataDir">The data folder (<c>--data-dir</c>).</param>
    /// <param name="port">The loopback port.</param>
    /// <param name="settings">Configuration, as <c>Section:Key</c> names.</param>
    /// <param name="logFile">Where to keep everything the server prints (its first 32 MB), beside the tail in <see cref="Log"/>; none when null.</param>
    public static ServerProcess Start(string dataDir, int port, IReadOnlyDictionary<string, string> settings, string? logFile = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "CustomerValue.Functions.dll"), "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new LocalServerException("dotnet did not start");
        var server = new ServerProcess(process, port) { _logFile = logFile is null ? null : new StreamWriter(logFile, append: false) };
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until <c>GET api/segments</c> answers 2xx.</summary>
    /// <exception cref="LocalServerException">The server exited or did not answer within <paramref name="timeout"/>.</exception>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new LocalServerException($"The server exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("/api/segments", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (clock.Elapsed > timeout)
            {
                throw new LocalServerException($"The server did not answer within {timeout}: {Log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The resident set size of the process (Linux <c>VmRSS</c>; elsewhere the working set).</summary>
    public long ResidentBytes()
    {
        string status = $"/proc/{_process.Id}/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null)
            {
                return 1024 * long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>
    /// The CPU time the process has used so far (Linux <c>/proc/PID/stat</c>, user plus system; elsewhere
    /// <see cref="Process.TotalProcessorTime"/>), to tell from outside when it has nothing left to do.
    /// </summary>
    public TimeSpan CpuTime()
    {
        string stat = $"/proc/{_process.Id}/stat";
        if (File.Exists(stat))
        {
            // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the
            // 12th and 13th, in clock ticks of 1/100 s on Linux.
            string text = File.ReadAllText(stat);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }

        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Kills the server if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        Client.Dispose();
        lock (_log)
        {
            _logFile?.Dispose();
            _logFile = null;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            if (_logFile is { } file && file.BaseStream.Length < MaxLogFile)
            {
                file.WriteLine(line);
            }

            if (_log.Length > MaxLog)
            {
                _log.Remove(0, _log.Length - MaxLog);
            }
        }
    }
}
