using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CustomerValue.LocalServers;

namespace CustomerValue.Benchmarks;

/// <summary>Settings of one <c>bench soak</c> run.</summary>
/// <param name="Minutes">How long the load runs.</param>
/// <param name="WarmupMinutes">The first part of the run; the memory level at its end is the reference.</param>
/// <param name="ExportRows">Rows of each POS export dropped into the inbox.</param>
/// <param name="Seed">Random seed of the traffic.</param>
/// <param name="ServerEnvironment">Extra environment variables of the server process (GC settings to compare).</param>
public sealed record SoakOptions(double Minutes, double WarmupMinutes, int ExportRows, int Seed, IReadOnlyDictionary<string, string>? ServerEnvironment = null);

/// <summary>
/// <c>bench soak</c>: the server as its own process in local mode under mixed load for a long time — signed webhooks
/// from four senders, forged 1 MB bodies (refused 401), a POS export dropped into the inbox and a recompute fired every
/// few minutes (the change feed publishing what they change) — with its resident memory sampled from outside every
/// five seconds. Target: after the load stops, memory is back within 20 % of its level at the end of the warm-up,
/// and no request was answered 5xx.
/// <para>
/// "After the load stops" means once the work the load caused is done: every dropped export has its report, and then
/// the server has been idle (under 2 % of a core for 10 s), that is, the change feed has published what the imports
/// and recomputes changed and delivery rounds find nothing. Sampling while that still ran measured work in progress,
/// not memory kept. The resident set is split with the server's own figures (its memory log at debug level, every
/// 10 s): the managed heap (and what the GC has committed) and the C heap (glibc: SQLite, the runtime's native
/// allocations), so the report says which of them grows.
/// </para>
/// </summary>
public static class SoakBenchmark
{
    private const double MemoryTolerance = 1.20;
    private const string Secret = "soak-shopify-secret";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CycleEvery = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan ImportWait = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan IdleCpu = TimeSpan.FromMilliseconds(200);
    private static readonly Regex MemoryLine = new(@"Memory: working set (\d+) MB, managed heap (\d+) MB \(committed (\d+) MB\), C heap in use (\d*) MB \(free (\d*) MB\)", RegexOptions.CultureInvariant);

    /// <summary>Runs the soak and prints the memory curve and the verdict.</summary>
    public static async Task<int> RunAsync(SoakOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        string dataDir = Directory.CreateTempSubdirectory("cv-soak-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dataDir, "pos-exports"));
            var exports = Enumerable.Range(0, 3).Select(i =>
            {
                string path = Path.Combine(dataDir, $"export-{i}.csv");
                SyntheticPosExport.Write(path, options.ExportRows, SyntheticPosExport.DefaultCustomers(options.ExportRows), options.Seed + i);
                return path;
            }).ToArray();
            var workload = IngestWorkload.Create(new IngestBenchmarkOptions { Webhooks = 200_000, Warmup = 0, Customers = 20_000, Seed = options.Seed }, Secret);

            var settings = new Dictionary<string, string>
            {
                ["LocalMode:Enabled"] = "true",
                ["LocalMode:InboxPollMilliseconds"] = "500",
                ["Webhooks:Shopify:Secret"] = Secret,
                ["Webhooks:RateLimit:PermitsPerSecond"] = "1000000",
                ["Webhooks:RateLimit:Burst"] = "1000000",
                ["Logging:LogLevel:Default"] = "Warning",
                // Debug: the server's memory figures every 10 s (managed heap, C heap), read from its log below.
                ["Logging:LogLevel:CustomerValue.Functions.Host.MemoryRelease"] = "Debug",
            };
            foreach (var (name, value) in options.ServerEnvironment ?? new Dictionary<string, string>())
            {
                settings[name] = value;
            }

            // The server's whole log is kept outside the data folder (deleted at the end), to find what a 5xx ran into.
            string logFile = dataDir.TrimEnd('/') + "-server.log";
            using var server = ServerProcess.Start(dataDir, ServerProcess.FreePort(), settings, logFile);
            await server.WaitReadyAsync(TimeSpan.FromMinutes(1));
            output.WriteLine(string.Format(C, "bench soak: {0} min ({1} min warm-up), exports of {2:N0} rows every {3} min with a recompute, four webhook senders; data in {4} (server log in {6}); load average at start {5}", options.Minutes, options.WarmupMinutes, options.ExportRows, CycleEvery.TotalMinutes, dataDir, LoadAverage(), logFile));
            foreach (var (name, value) in options.ServerEnvironment ?? new Dictionary<string, string>())
            {
                output.WriteLine($"server environment: {name}={value}");
            }


            var counts = new Counts();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var clock = Stopwatch.StartNew();
            var samples = new List<Sample>();
            var senders = Enumerable.Range(0, 4).Select(s => SendAsync(server.Client, workload.Measured, s, 4, counts, stop.Token)).ToList();
            var cycles = CyclesAsync(server, dataDir, exports, counts, stop.Token);
            while (clock.Elapsed < TimeSpan.FromMinutes(options.Minutes))
            {
                samples.Add(Take(server, clock));
                await Task.Delay(SampleEvery, cancellationToken);
            }

            string loadAtStop = LoadAverage();

            await stop.CancelAsync();
            await Task.WhenAll([.. senders, cycles]);

            // The reference after the load is taken once every dropped export has its report: an import still running
            // would be measured as growth.
            var imports = Stopwatch.StartNew();
            bool imported = await WaitForReportsAsync(dataDir, counts.Exports, ImportWait, server, samples, clock, cancellationToken);
            output.WriteLine(string.Format(C, "load stopped at {0:0.0} min; {1} imports finished {2:0} s later", clock.Elapsed.TotalMinutes - imports.Elapsed.TotalMinutes, imported ? "all" : "NOT all", imports.Elapsed.TotalSeconds));
            if (!imported)
            {
                Interlocked.Increment(ref counts.Failures);
            }

            // Then the work the imports and recomputes left behind (change-feed fan-out, delivery) must end too.
            var drain = Stopwatch.StartNew();
            bool quiet = await WaitForIdleAsync(server, ImportWait, samples, clock, cancellationToken);
            output.WriteLine(string.Format(C, "server {0} {1:0} s after that (under {2:0} ms of CPU in {3:0} s: change feed published, delivery drained)", quiet ? "idle" : "NOT idle", drain.Elapsed.TotalSeconds, IdleCpu.TotalMilliseconds, IdleWindow.TotalSeconds));
            if (!quiet)
            {
                Interlocked.Increment(ref counts.Failures);
            }

            var idle = clock.Elapsed;
            while (clock.Elapsed - idle < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(SampleEvery, cancellationToken);
                samples.Add(Take(server, clock));
            }

            foreach (var line in server.Log.Split('\n').Where(l => l.Contains("Released memory", StringComparison.Ordinal)))
            {
                output.WriteLine("server: " + line.Trim());
            }

            // The server's warnings and failures (at most a dozen kinds): what a 5xx or a failed import ran into.
            var lines = server.Log.Split('\n');
            var problems = lines.Select((line, i) => (line, i))
                .Where(l => l.line.StartsWith("warn:", StringComparison.Ordinal) || l.line.StartsWith("fail:", StringComparison.Ordinal))
                .Select(l => l.line.Trim() + " " + (l.i + 1 < lines.Length ? lines[l.i + 1].Trim() : ""))
                .GroupBy(l => l.Length > 160 ? l[..160] : l)
                .Take(12);
            foreach (var problem in problems)
            {
                output.WriteLine(string.Format(C, "server ({0}×): {1}", problem.Count(), problem.First().Length > 400 ? problem.First()[..400] + "…" : problem.First()));
            }

            output.WriteLine($"load average: {loadAtStop} when the load stopped, {LoadAverage()} at the end");
            return Report(options, samples, idle, counts, output);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int Report(SoakOptions options, List<Sample> samples, TimeSpan idle, Counts counts, TextWriter output)
    {
        var warm = TimeSpan.FromMinutes(options.WarmupMinutes);
        double MedianMb(IEnumerable<Sample> window)
        {
            var values = window.Select(s => s.Bytes / 1048576.0).Order().ToArray();
            return values.Length == 0 ? double.NaN : values[values.Length / 2];
        }

        var warmWindow = samples.Where(s => s.At <= warm && s.At > warm - TimeSpan.FromSeconds(30)).ToList();
        var endWindow = samples.Where(s => s.At > idle).ToList();
        double atWarmup = MedianMb(warmWindow);
        double atEnd = MedianMb(endWindow);
        double peak = samples.Max(s => s.Bytes) / 1048576.0;
        output.WriteLine("    time   resident   managed heap (committed)   C heap in use (free)");
        foreach (var sample in samples.Where((_, i) => i % 12 == 0).Append(samples[^1]))
        {
            output.WriteLine(string.Format(C, "  {0,6:0.0} min  {1,7:0} MB   {2}", sample.At.TotalMinutes, sample.Bytes / 1048576.0, sample.Server?.ToString() ?? "-"));
        }

        bool memoryOk = atEnd <= atWarmup * MemoryTolerance;
        bool errorsOk = counts.ServerErrors == 0 && counts.Failures == 0;
        output.WriteLine();
        output.WriteLine(string.Format(C, "webhooks: {0:N0} answered 2xx, {1:N0} forged refused 401, {2:N0} other 4xx, {3:N0} 5xx, {4:N0} failed to send", counts.Ok, counts.Refused, counts.ClientErrors, counts.ServerErrors, counts.Failures));
        foreach (var (status, (count, body)) in counts.Unexpected.OrderBy(u => u.Key))
        {
            output.WriteLine(string.Format(C, "  {0}: {1:N0}, the first said: {2}", status, count, body.Length > 300 ? body[..300] + "…" : body));
        }

        output.WriteLine(string.Format(C, "cycles: {0} exports dropped, {1} recomputes answered 200 of {2}", counts.Exports, counts.RecomputesOk, counts.Recomputes));
        output.WriteLine(string.Format(C, "resident memory: {0:0} MB at the end of the warm-up, {1:0} MB after the load stopped and the server went idle ({2:+0;-0}%), peak {3:0} MB: {4}", atWarmup, atEnd, (atEnd / atWarmup - 1) * 100, peak, memoryOk ? "ok (within 20 %)" : "MISSED (more than 20 % above)"));
        var serverAtWarmup = warmWindow.LastOrDefault(s => s.Server is not null)?.Server;
        var serverAtEnd = endWindow.LastOrDefault(s => s.Server is not null)?.Server;
        output.WriteLine($"server's own figures, end of the warm-up -> end: {serverAtWarmup?.ToString() ?? "-"} -> {serverAtEnd?.ToString() ?? "-"}");
        output.WriteLine(errorsOk ? "errors: none" : "errors: MISSED (see the 5xx and failures above)");
        return 0;
    }

    private static Sample Take(ServerProcess server, Stopwatch clock)
    {
        var match = MemoryLine.Matches(server.Log).LastOrDefault();
        ServerMemory? figures = match is null ? null : new ServerMemory(
            int.Parse(match.Groups[2].Value, C), int.Parse(match.Groups[3].Value, C),
            match.Groups[4].Length > 0 ? int.Parse(match.Groups[4].Value, C) : null,
            match.Groups[5].Length > 0 ? int.Parse(match.Groups[5].Value, C) : null);
        return new Sample(clock.Elapsed, server.ResidentBytes(), figures);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Waits until the server used less than <see cref="IdleCpu"/> in <see cref="IdleWindow"/>, sampling memory meanwhile.</summary>
    private static async Task<bool> WaitForIdleAsync(ServerProcess server, TimeSpan timeout, List<Sample> samples, Stopwatch clock, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        var cpu = server.CpuTime();
        var since = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            await Task.Delay(SampleEvery, cancellationToken);
            samples.Add(Take(server, clock));
            if (since.Elapsed < IdleWindow)
            {
                continue;
            }

            var now = server.CpuTime();
            if (now - cpu < IdleCpu)
            {
                return true;
            }

            (cpu, since) = (now, Stopwatch.StartNew());
        }

        return false;
    }

    private static async Task SendAsync(HttpClient client, IReadOnlyList<SignedWebhook> webhooks, int sender, int senders, Counts counts, CancellationToken cancellationToken)
    {
        var forged = new byte[1 << 20];
        for (int i = sender; !cancellationToken.IsCancellationRequested; i += senders)
        {
            bool forge = i % 50 == 0;
            var webhook = webhooks[i % webhooks.Count];
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(forge ? forged : webhook.Body) };
            foreach (var (name, value) in webhook.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, forge && name == "X-Shopify-Hmac-Sha256" ? "Zm9yZ2Vk" : value);
            }

            try
            {
                using var response = await client.SendAsync(request, CancellationToken.None);
                int status = (int)response.StatusCode;
                counts.Count(status, forge);
                if (status >= 300 && !(status == 401 && forge))
                {
                    // The first body of each unexpected status says why (a 503 names the store's fault, a 400 the field).
                    string body = counts.Unexpected.ContainsKey(status) ? "" : await response.Content.ReadAsStringAsync(CancellationToken.None);
                    counts.Unexpected.AddOrUpdate(status, (1, body), (_, seen) => (seen.Count + 1, seen.Body));
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref counts.Failures);
            }
        }
    }

    private static async Task CyclesAsync(ServerProcess server, string dataDir, string[] exports, Counts counts, CancellationToken cancellationToken)
    {
        string timer = """{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""";
        for (int cycle = 0; !cancellationToken.IsCancellationRequested; cycle++)
        {
            string source = exports[cycle % exports.Length];
            // A new name each cycle: every drop is a new upload (the same rows again after the third: duplicates).
            File.Copy(source, Path.Combine(dataDir, "pos-exports", $"cycle-{cycle}.csv"));
            Interlocked.Increment(ref counts.Exports);
            if (!await WaitAsync(CycleEvery / 2, cancellationToken))
            {
                return;
            }

            Interlocked.Increment(ref counts.Recomputes);
            try
            {
                // Not cancelled with the load: a recompute that has started is let finish, as the host would.
                using var response = await server.Client.PostAsync(new Uri("/RecomputeCustomerValue", UriKind.Relative), new StringContent(timer, Encoding.UTF8, "application/json"), CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref counts.RecomputesOk);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref counts.Failures);
            }

            if (!await WaitAsync(CycleEvery / 2, cancellationToken))
            {
                return;
            }
        }
    }

    /// <summary>Waits until the reports folder holds a report for each of the <paramref name="exports"/> drops, sampling memory meanwhile.</summary>
    private static async Task<bool> WaitForReportsAsync(string dataDir, int exports, TimeSpan timeout, ServerProcess server, List<Sample> samples, Stopwatch clock, CancellationToken cancellationToken)
    {
        string reports = Path.Combine(dataDir, "pos-exports-reports");
        var waited = Stopwatch.StartNew();
        while (Enumerable.Range(0, exports).Any(cycle => !File.Exists(Path.Combine(reports, $"cycle-{cycle}.csv.report.json"))))
        {
            if (waited.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(SampleEvery, cancellationToken);
            samples.Add(Take(server, clock));
        }

        return true;
    }

    private static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One sample: the resident set measured from outside, and the server's latest own figures.</summary>
    private sealed record Sample(TimeSpan At, long Bytes, ServerMemory? Server);

    /// <summary>The server's memory log line: managed heap (GC.GetTotalMemory), committed by the GC, and the C heap.</summary>
    private sealed record ServerMemory(int ManagedMb, int CommittedMb, int? NativeInUseMb, int? NativeFreeMb)
    {
        public override string ToString() => string.Format(C, "{0,5} MB ({1} MB)   {2,5} MB ({3} MB)", ManagedMb, CommittedMb, NativeInUseMb?.ToString(C) ?? "?", NativeFreeMb?.ToString(C) ?? "?");
    }

    private sealed class Counts
    {
#pragma warning disable SA1401, CA1051 // counters updated with Interlocked
        public long Ok;
        public long Refused;
        public long ClientErrors;
        public long ServerErrors;
        public long Failures;
        public int Exports;
        public int Recomputes;
        public int RecomputesOk;
#pragma warning restore SA1401, CA1051

        /// <summary>Answers that were neither 2xx nor a refused forgery, by status, with the first body of each.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<int, (long Count, string Body)> Unexpected { get; } = new();

        public void Count(int status, bool forged)
        {
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref Ok);
            }
            else if (status == 401 && forged)
            {
                Interlocked.Increment(ref Refused);
            }
            else if (status >= 500)
            {
                Interlocked.Increment(ref ServerErrors);
            }
            else
            {
                Interlocked.Increment(ref ClientErrors);
            }
        }
    }
}
