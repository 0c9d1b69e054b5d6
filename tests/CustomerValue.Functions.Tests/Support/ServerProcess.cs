using System.Diagnostics;

namespace CustomerValue.Functions.Tests.Support;

/// <summary>The server started as its own process (the published entry point, local mode on), for tests that kill it.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts <c>CustomerValue.Functions.dll</c> on <paramref name="port"/> with its data in <paramref name="dataDir"/>.</summary>
    public static ServerProcess Start(string dataDir, int port)
    {
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

        start.Environment["LocalMode__Enabled"] = "true";
        start.Environment["LocalMode__InboxPollMilliseconds"] = "100";
        start.Environment["Webhooks__Shopify__Secret"] = RunningServer.ShopifySecret;
        start.Environment["Webhooks__RateLimit__PermitsPerSecond"] = "100000";
        start.Environment["Webhooks__RateLimit__Burst"] = "100000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, port);
    }

    /// <summary>Waits until the server answers its API.</summary>
    public async Task WaitReadyAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_process.HasExited, $"the server exited with {(_process.HasExited ? _process.ExitCode : 0)}");
            try
            {
                using var response = await Client.GetAsync("/api/segments");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the server did not start within a minute");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        Client.Dispose();
    }
}
