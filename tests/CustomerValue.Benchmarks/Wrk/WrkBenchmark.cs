using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using CustomerValue.Application.PosImports;
using CustomerValue.LocalServers;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>
/// Runs <c>bench wrk</c>: the server as its own process in local mode (inbox watcher, change feed and delivery pumps, as
/// a user runs it) with a fresh embedded store; wrk posts pre-signed Shopify order webhooks (the <c>bench ingest</c>
/// traffic: creates, payments, refunds, cancellations, about 5 % retried deliveries, distinct orders) in three runs on
/// disjoint sets: a warm-up, a measured run on the idle server, and a measured run while the server imports a synthetic
/// POS export dropped into its inbox. Then a sample of the answered order webhooks is looked up through the API.
/// </summary>
public static class WrkBenchmark
{
    private const string ExportName = "wrk-pos-export.csv";
    private const int CheckedOrders = 500;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly TimeSpan SteadyState = TimeSpan.FromSeconds(2);

    /// <summary>Runs the benchmark and prints the figures; 0 when every request was answered 200 and the check passed, 2 without wrk.</summary>
    public static async Task<int> RunAsync(WrkOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (WrkProcess.Locate(options.Wrk) is not { } wrk)
        {
            error.WriteLine($"bench wrk: {WrkProcess.InstallHint} ('{options.Wrk}' was not found.)");
            return 2;
        }

        BenchEnvironment.WriteHeader(output, "wrk", string.Format(C, "{0} ({1} threads, {2} connections), {3} s warm-up, {4} s per measured run; load average {5}",
            wrk.Executable, options.Threads, options.Connections, options.WarmupSeconds, options.DurationSeconds, LoadAverage()));
        var dataDir = Directory.CreateTempSubdirectory("cv-bench-wrk-").FullName;
        try
        {
            return await RunAsync(options, wrk, dataDir, output, cancellationToken);
        }
        finally
        {
            BenchEnvironment.TryDeleteFolder(dataDir);
        }
    }

    private static async Task<int> RunAsync(WrkOptions options, WrkProcess wrk, string dataDir, TextWriter output, CancellationToken cancellationToken)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var clock = Stopwatch.StartNew();
        var workload = IngestWorkload.Create(new IngestBenchmarkOptions { Warmup = options.WarmupWebhooks, Webhooks = 2 * options.Webhooks, Customers = options.Customers, Seed = options.Seed }, secret);
        var port = ServerProcess.FreePort();
        var host = string.Create(C, $"127.0.0.1:{port}");
        var requests = Path.Combine(dataDir, "requests");
        Directory.CreateDirectory(requests);
        var warmup = WrkRequestFiles.Write(Path.Combine(requests, "warmup"), workload.Warmup, options.Threads, host);
        var idle = WrkRequestFiles.Write(Path.Combine(requests, "idle"), workload.Measured.Take(options.Webhooks).ToList(), options.Threads, host);
        var importing = WrkRequestFiles.Write(Path.Combine(requests, "import"), workload.Measured.Skip(options.Webhooks).ToList(), options.Threads, host);
        output.WriteLine(string.Format(C, "Workload: {0:N0} warm-up + 2 × {1:N0} distinct signed Shopify order webhooks from {2:N0} customers ({3}; {4:N0} retried deliveries), generated and written as raw requests in {5:0.0} s.",
            workload.Warmup.Count, options.Webhooks, workload.Customers,
            string.Join(", ", workload.Topics.OrderByDescending(t => t.Value).Select(t => string.Format(C, "{0} {1:N0}", t.Key, t.Value))), workload.Retries, clock.Elapsed.TotalSeconds));

        var staged = Path.Combine(dataDir, "staging", ExportName);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        SyntheticPosExport.Write(staged, options.ImportRows, SyntheticPosExport.DefaultCustomers(options.ImportRows), options.Seed + 7);
        output.WriteLine(string.Format(C, "POS export: {0:N0} rows ({1:0.0} MB), dropped into the server's inbox before the second measured run.", options.ImportRows, new FileInfo(staged).Length / 1048576.0));

        var serverDir = Path.Combine(dataDir, "server");
        using var server = ServerProcess.Start(serverDir, port, ServerSettings(secret));
        await server.WaitReadyAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"Server: its own process on http://{host}/ in local mode, data in {serverDir}.");
        output.Flush();

        var address = new Uri($"http://{host}/");
        var warm = await wrk.RunAsync(address, warmup, options.Connections, TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
        output.WriteLine(string.Format(C, "Warm-up: {0:N0} requests, {1:N0}/s, p99 {2:0.0} ms.", warm.Requests, warm.PerSecond, warm.Latency.P99));
        var idleResult = await MeasureAsync("idle server", wrk, address, idle, options, output, cancellationToken);
        var loadAfterIdle = LoadAverage();

        // The import goes through the server's own path: the inbox watcher announces the file to ImportPosExport.
        var inbox = Path.Combine(serverDir, "pos-exports");
        Directory.CreateDirectory(inbox);
        File.Move(staged, Path.Combine(inbox, ExportName));
        using var progress = new ImportProgress(Path.Combine(serverDir, "customervalue.db"), ExportName);
        if (!await progress.WaitForFirstBatchAsync(TimeSpan.FromMinutes(2), cancellationToken))
        {
            output.WriteLine("The import did not checkpoint a first batch within 2 minutes; server log:\n" + server.Log);
            return 1;
        }

        await Task.Delay(SteadyState, cancellationToken);
        var measuring = MeasureAsync("during an import", wrk, address, importing, options, output, cancellationToken);
        var rate = await progress.FollowAsync(measuring, cancellationToken);
        var importResult = await measuring;

        var (checkedOrders, missing) = await AcceptedWebhookCheck.RunAsync(server.Client, [(idle, idleResult), (importing, importResult)], CheckedOrders, options.Seed, cancellationToken);
        output.WriteLine();
        WriteTable(output, [("idle server", idle, idleResult), ("during an import", importing, importResult)]);
        output.WriteLine();
        WriteImport(output, rate, options.ImportRows);
        output.WriteLine(string.Format(C, "Webhooks checked through the API: {0} of {1} sampled order webhooks (from the first half of each run, all answered) found among their customer's orders (GET api/profiles?email=, GET api/profiles/{{id}}/orders).",
            checkedOrders - missing.Count, checkedOrders));
        foreach (var problem in missing.Take(10))
        {
            output.WriteLine("  missing: " + problem);
        }

        WriteServerProblems(output, server.Log);
        var met = importResult.PerSecond >= IngestBenchmark.TargetPerSecond && importResult.Latency.P99 < IngestBenchmark.TargetP99Milliseconds;
        output.WriteLine(string.Format(C, "Target (wrk, {0} threads, {1} connections, during an import): >= {2:N0} webhooks/s and p99 < {3} ms: {4} ({5:N0}/s, p99 {6:0.0} ms; idle {7:N0}/s, p99 {8:0.0} ms).",
            options.Threads, options.Connections, IngestBenchmark.TargetPerSecond, IngestBenchmark.TargetP99Milliseconds, met ? "met" : "MISSED",
            importResult.PerSecond, importResult.Latency.P99, idleResult.PerSecond, idleResult.Latency.P99));
        output.WriteLine($"Load average: {loadAfterIdle} after the idle run, {LoadAverage()} at the end (figures taken on a busy machine are not the product's).");
        output.WriteLine("Command: dotnet run -c Release --project tests/CustomerValue.Benchmarks -- " + options.CommandLine);
        output.Flush();
        var clean = idleResult.Non200.Count == 0 && importResult.Non200.Count == 0 && idleResult.SocketErrors == 0 && importResult.SocketErrors == 0;
        return clean && missing.Count == 0 && checkedOrders > 0 ? 0 : 1;
    }

    private static async Task<WrkResult> MeasureAsync(string name, WrkProcess wrk, Uri address, WrkRequestFiles requests, WrkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var result = await wrk.RunAsync(address, requests, options.Connections, TimeSpan.FromSeconds(options.DurationSeconds), cancellationToken);
        output.WriteLine($"wrk, {name}:");
        foreach (var line in result.Report.Split('\n'))
        {
            output.WriteLine("  " + line);
        }

        output.Flush();
        return result;
    }

    private static Dictionary<string, string> ServerSettings(string secret) => new()
    {
        ["LocalMode:Enabled"] = "true",
        ["LocalMode:InboxPollMilliseconds"] = "500",
        ["Webhooks:Shopify:Secret"] = secret,
        // One synthetic shop sends thousands a second: measured is ingestion, not the per-shop limiter (100/s by default).
        ["Webhooks:RateLimit:PermitsPerSecond"] = "1000000",
        ["Webhooks:RateLimit:Burst"] = "1000000",
        // The nightly recompute (03:00 UTC by default) must not fire in the middle of a run: only on 29 February.
        ["RecomputeSchedule"] = "0 0 3 29 2 *",
        ["Identity:DefaultRegion"] = "US",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static void WriteTable(TextWriter output, IReadOnlyList<(string Name, WrkRequestFiles Requests, WrkResult Result)> runs)
    {
        output.WriteLine("run                  requests/s     p50     p90     p99   p99.9     max   accepted  duplicates  repeats  non-200  socket errors");
        foreach (var (name, requests, result) in runs)
        {
            var accepted = result.Threads.Sum(t => t.Accepted);
            var duplicates = result.Threads.Sum(t => t.Duplicates);
            var repeats = result.Threads.Sum(t => Math.Max(0, t.Sent - requests.Share(t.Thread)));
            var non200 = result.Non200.Count == 0 ? "0" : string.Join(' ', result.Non200.OrderBy(s => s.Key).Select(s => string.Format(C, "{0}×{1:N0}", s.Key, s.Value)));
            output.WriteLine(string.Format(C, "{0,-20} {1,10:N0} {2,7:0.0} {3,7:0.0} {4,7:0.0} {5,7:0.0} {6,7:0.0} {7,10:N0} {8,11:N0} {9,8:N0} {10,8} {11,14:N0}",
                name, result.PerSecond, result.Latency.P50, result.Latency.P90, result.Latency.P99, result.Latency.P999, result.Latency.Max, accepted, duplicates, repeats, non200, result.SocketErrors));
        }

        output.WriteLine("(latency in ms from wrk's histogram; duplicates: retried deliveries answered 200 from their delivery record — a retry sent while its original was still being applied is applied again, changing nothing, and counts as accepted; repeats: requests beyond the run's distinct set)");
    }

    private static void WriteImport(TextWriter output, ImportRate rate, int rows)
    {
        var latest = rate.Latest;
        var outlasted = latest is { Status: PosImportStatus.Running };
        output.WriteLine(string.Format(C, "Import alongside: {0} while the measured run went ({1:N0} records checkpointed); {2}.",
            string.Format(C, rate.Exact ? "{0:N0} rows/s" : "about {0:N0} rows/s (it checkpoints once per batch, and fewer than two checkpoints came meanwhile: off by up to a batch)", rate.RowsPerSecond),
            rate.Records,
            outlasted
                ? string.Format(C, "still running at its end ({0:N0} of {1:N0} rows done): the whole run was concurrent", latest!.RecordsDone, rows)
                : string.Format(C, "it ended ({0}) before the run did: only partly concurrent, use more --import-rows", latest?.Status.ToString().ToLowerInvariant() ?? "no report")));
    }

    /// <summary>The server's warnings and failures, a few of each kind: what a non-200 or a slow request ran into.</summary>
    private static void WriteServerProblems(TextWriter output, string log)
    {
        var lines = log.Split('\n');
        var problems = lines.Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("warn:", StringComparison.Ordinal) || l.line.StartsWith("fail:", StringComparison.Ordinal))
            // The startup notice that the platforms the benchmark does not use have no secret is expected.
            .Where(l => !l.line.Contains("WebhookSecretsReport", StringComparison.Ordinal))
            .Select(l => string.Join(' ', lines.Skip(l.i).Take(3).Select(line => line.Trim()))) // the category, the message, the exception
            .GroupBy(l => l.Length > 160 ? l[..160] : l)
            .ToList();
        output.WriteLine(problems.Count == 0 ? "Server log: no warnings or failures." : $"Server log: {problems.Count} kinds of warnings or failures (in its last 64 KB):");
        foreach (var problem in problems.Take(8))
        {
            output.WriteLine(string.Format(C, "  ({0}×) {1}", problem.Count(), problem.First().Length > 300 ? problem.First()[..300] + "…" : problem.First()));
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
