using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CustomerValue.PlatformFakes;

namespace CustomerValue.Benchmarks;

/// <summary>
/// The platform fakes as their own process (<c>CustomerValue.PlatformFakes</c>, built beside the benchmark), so that
/// parsing and checking the uploads is not counted as the product's CPU: the benchmark's process then spends only what
/// the fan-out itself spends, and the fakes' CPU is read from outside and reported apart.
/// </summary>
public sealed partial class FakesProcess : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private FakesProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Where the fakes listen.</summary>
    public Uri BaseAddress { get; }

    /// <summary>CPU the fakes' process has used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the fakes on a free loopback port and waits until they listen.</summary>
    public static async Task<FakesProcess> StartAsync(CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CustomerValue.PlatformFakes.dll");
        var host = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the platform fakes");
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMinutes(2));
            while (await process.StandardOutput.ReadLineAsync(wait.Token) is { } line)
            {
                if (Address().Match(line) is { Success: true } match)
                {
                    // The rest of its output is not needed, but must be drained so the child never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new FakesProcess(process, new Uri(match.Value));
                }
            }

            throw new InvalidOperationException("the platform fakes exited before listening");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Every request each fake logged, by platform (<c>google</c>, <c>meta</c>, <c>klaviyo</c>, <c>webhook</c>).</summary>
    public async Task<Dictionary<string, List<LoggedRequest>>> RequestsAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<Dictionary<string, List<LoggedRequest>>>("fakes/requests", cancellationToken)
        ?? throw new InvalidOperationException("the platform fakes returned no request log");

    /// <summary>Stops the fakes' process.</summary>
    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex Address();
}
