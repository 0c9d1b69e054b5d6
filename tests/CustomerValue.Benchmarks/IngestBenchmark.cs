using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Security.Cryptography;
using CustomerValue.Domain.Profiles;
using CustomerValue.Application.Webhooks;
using CustomerValue.Identity.Resolution;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;

namespace CustomerValue.Benchmarks;

/// <summary>
/// Runs <c>bench ingest</c>. Three phases, each on a fresh server and store so that none inherits the other's data:
/// <list type="number">
/// <item>HTTP: signed Shopify order webhooks posted to <c>api/webhooks/shopify</c> by concurrent keep-alive senders —
/// the target (≥ 2,000 webhooks/s with 32 senders, p99 &lt; 50 ms);</item>
/// <item>no HTTP: the same deliveries handed to <see cref="WebhookIngestor"/> directly (signature, parse, dedupe,
/// resolve, delivery record);</item>
/// <item>store only: the parsed activities applied through <see cref="ProfileResolver"/> directly.</item>
/// </list>
/// The gap between rows is what each layer costs.
/// </summary>
public static class IngestBenchmark
{
    /// <summary>The throughput target, webhooks per second.</summary>
    public const double TargetPerSecond = 2_000;

    /// <summary>The latency target, p99 in milliseconds.</summary>
    public const double TargetP99Milliseconds = 50;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs the benchmark and prints the table; 0 when every request succeeded.</summary>
    public static async Task<int> RunAsync(IngestBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var root = options.DataDir ?? Path.Combine(Path.GetTempPath(), "cv-bench-ingest", Guid.NewGuid().ToString("N"));
        var temporary = options.DataDir is null;
        BenchEnvironment.WriteHeader(output, "ingest", string.Format(C, "{0} senders, {1:N0} webhooks after {2:N0} warm-up", options.Senders, options.Webhooks, options.Warmup));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var clock = Stopwatch.StartNew();
        var workload = IngestWorkload.Create(options, secret);
        output.WriteLine(string.Format(C, "Workload: {0:N0} warm-up + {1:N0} measured signed Shopify order webhooks from {2:N0} customers ({3}; {4:N0} retried deliveries), generated in {5:0.0} s.",
            workload.Warmup.Count, workload.Measured.Count, workload.Customers,
            string.Join(", ", workload.Topics.OrderByDescending(t => t.Value).Select(t => string.Format(C, "{0} {1:N0}", t.Key, t.Value))), workload.Retries, clock.Elapsed.TotalSeconds));
        output.Flush();

        var results = new List<PhaseResult>();
        try
        {
            // A throwaway round first brings the process to its steady state (tiered JIT and PGO, thread pool size), as in a
            // server that has been up for a while; otherwise whichever phase runs first pays for it.
            await RunHttpAsync(Path.Combine(root, "jit-warmup"), secret, workload.Warmup, workload.Warmup, options.Senders, TextWriter.Null, cancellationToken);
            if (options.StoreOnly)
            {
                results.Add(await RunResolverAsync(Path.Combine(root, "resolver"), secret, workload, options.Senders, output, cancellationToken));
                results.Add(await RunIngestorAsync(Path.Combine(root, "ingestor"), secret, workload, options.Senders, output, cancellationToken));
            }

            results.Insert(0, await RunHttpAsync(Path.Combine(root, "http"), secret, workload.Warmup, workload.Measured, options.Senders, output, cancellationToken, options));
        }
        finally
        {
            if (temporary)
            {
                BenchEnvironment.TryDeleteFolder(root);
            }
        }

        output.WriteLine();
        PhaseResult.WriteTable(output, results);
        output.WriteLine();
        PhaseResult.WriteStoreOperations(output, results);
        output.WriteLine();
        var http = results[0];
        var met = http.PerSecond >= TargetPerSecond && http.Percentile(0.99) < TargetP99Milliseconds;
        output.WriteLine(string.Format(C, "Target (HTTP, {0} senders): >= {1:N0} webhooks/s and p99 < {2} ms: {3} ({4:N0}/s, p99 {5:0.0} ms).",
            options.Senders, TargetPerSecond, TargetP99Milliseconds, met ? "met" : "MISSED", http.PerSecond, http.Percentile(0.99)));
        output.WriteLine("Command: " + options.CommandLine);
        output.Flush();
        return results.All(r => r.Failures == 0) ? 0 : 1;
    }

    private static async Task<PhaseResult> RunHttpAsync(string dataDir, string secret, IReadOnlyList<SignedWebhook> warmup, IReadOnlyList<SignedWebhook> measured, int senders, TextWriter output, CancellationToken cancellationToken, IngestBenchmarkOptions? options = null)
    {
        await using var server = await BenchServer.StartAsync(dataDir, secret, cancellationToken);
        await using var import = options is { DuringImportRows: > 0 } ? await ConcurrentImport.PrepareAsync(server, dataDir, options.DuringImportRows, options.Seed, output, cancellationToken) : null;
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = senders,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
        };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        async Task<string> SendAsync(SignedWebhook webhook, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(webhook.Body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            foreach (var (name, value) in webhook.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await client.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            var answer = await response.Content.ReadAsStringAsync(ct);
            return status == 200
                ? answer.Contains("\"duplicate\"", StringComparison.Ordinal) ? "200 duplicate" : "200 accepted"
                : status.ToString(C);
        }

        var name = import is null ? "HTTP  POST /api/webhooks/shopify" : "HTTP  POST /api/webhooks/shopify during an import";
        return await MeasureAsync(name, server.Store, warmup, measured, senders, SendAsync, output, cancellationToken, import);
    }

    private static async Task<PhaseResult> RunIngestorAsync(string dataDir, string secret, IngestWorkload workload, int senders, TextWriter output, CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(dataDir, secret, cancellationToken);
        var ingestor = server.Services.GetRequiredService<WebhookIngestor>();
        WebhookPlatforms.Default.TryGet("shopify", out var platform);
        async Task<string> IngestAsync(SignedWebhook webhook, CancellationToken ct)
        {
            var outcome = await ingestor.IngestAsync(platform!, WebhookRequest.Create("shopify", webhook.Headers, webhook.Body, DateTimeOffset.UtcNow), ct);
            return outcome.Kind == WebhookOutcomeKind.Accepted ? "200 accepted" : outcome.Kind == WebhookOutcomeKind.Duplicate ? "200 duplicate" : outcome.Kind.ToString();
        }

        return await MeasureAsync("no HTTP  WebhookIngestor", server.Store, workload.Warmup, workload.Measured, senders, IngestAsync, output, cancellationToken);
    }

    private static async Task<PhaseResult> RunResolverAsync(string dataDir, string secret, IngestWorkload workload, int senders, TextWriter output, CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(dataDir, secret, cancellationToken);
        var resolver = server.Services.GetRequiredService<ProfileResolver>();
        WebhookPlatforms.Default.TryGet("shopify", out var platform);

        // Parsing is not the store's cost: parse every delivery up front.
        IReadOnlyList<CustomerActivity>[] Parse(IReadOnlyList<SignedWebhook> webhooks) =>
            [.. webhooks.Select(w => platform!.Parse(WebhookRequest.Create("shopify", w.Headers, w.Body, DateTimeOffset.UtcNow)) is { Succeeded: true } parsed
                ? parsed.Webhook.Activities
                : throw new InvalidOperationException("A generated webhook does not parse."))];
        var warmup = Parse(workload.Warmup);
        var measured = Parse(workload.Measured);
        async Task<string> ApplyAsync(IReadOnlyList<CustomerActivity> activities, CancellationToken ct)
        {
            var changed = false;
            foreach (var activity in activities)
            {
                changed |= (await resolver.ApplyAsync(activity, ct))?.Changed == true;
            }

            return changed ? "changed" : "unchanged";
        }

        return await MeasureAsync("store only  ProfileResolver", server.Store, warmup, measured, senders, ApplyAsync, output, cancellationToken);
    }

    private static async Task<PhaseResult> MeasureAsync<TItem>(
        string name, SqliteDocumentStore store, IReadOnlyList<TItem> warmup, IReadOnlyList<TItem> measured, int senders,
        Func<TItem, CancellationToken, Task<string>> send, TextWriter output, CancellationToken cancellationToken, ConcurrentImport? import = null)
    {
        await SenderPool.RunAsync(warmup, senders, send, null, null, cancellationToken);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (import is not null)
        {
            await import.StartAsync(cancellationToken);
        }

        var latencies = new double[measured.Count];
        var completions = new long[measured.Count];
        var statistics = store.Statistics;
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var statuses = await SenderPool.RunAsync(measured, senders, send, latencies, completions, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (import is not null)
        {
            await import.ReportAsync(elapsed, output);
        }

        process.Refresh();
        var result = new PhaseResult(name, measured.Count, elapsed, latencies, completions, statuses,
            store.Statistics.Since(statistics),
            (process.TotalProcessorTime - cpuBefore).TotalMilliseconds * 1000 / measured.Count,
            (GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / 1024.0 / measured.Count,
            (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3),
            process.PeakWorkingSet64 / 1048576.0);
        output.WriteLine(string.Format(C, "  {0}: {1:N0} in {2:0.00} s = {3:N0}/s, p50 {4:0.0} ms, p99 {5:0.0} ms", name, measured.Count, elapsed.TotalSeconds, result.PerSecond, result.Percentile(0.5), result.Percentile(0.99)));
        output.Flush();
        return result;
    }


}
