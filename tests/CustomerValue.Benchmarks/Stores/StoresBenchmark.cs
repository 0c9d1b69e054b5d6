using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Security.Cryptography;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// Runs <c>bench stores</c>: the same work on two stores, printed side by side.
/// <list type="number">
/// <item>Ingestion: the same signed Shopify order webhooks (<see cref="IngestWorkload"/>, as <c>bench ingest</c>)
/// through <see cref="Application.Webhooks.WebhookIngestor"/> by concurrent senders, on a fresh store each —
/// throughput, latency, point operations, refused writes and request units per webhook;</item>
/// <item>Recompute: the same realistic profiles (<see cref="BenchProfiles"/>) loaded into a fresh store each, then one
/// run of <see cref="Segmentation.Recompute.CustomerValueRecompute"/> — scan rate, write-back count and rate, total
/// time, store operations and request units.</item>
/// </list>
/// The stores: the embedded <see cref="Storage.Embedded.SqliteDocumentStore"/> and
/// <see cref="Storage.Azure.Cosmos.CosmosDocumentStore"/> on the Cosmos-API server of the tests (or
/// <c>--cosmos-endpoint</c>). Every store is wrapped in the same <see cref="CountingDocumentStore"/>, so operations
/// are counted alike; Cosmos DB's request units are read off the wire (<see cref="RequestChargeMeter"/>).
/// </summary>
public static class StoresBenchmark
{
    /// <summary>Exit code when a store could not be set up (message on stderr).</summary>
    public const int SetupFailed = 2;

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs the benchmark and prints the table; 0 when every webhook was ingested and every profile scanned on both stores.</summary>
    public static async Task<int> RunAsync(StoresBenchmarkOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var clock = Stopwatch.StartNew();
        BenchEnvironment.WriteHeader(output, "stores", string.Format(C, "{0}, {1} senders, {2:N0} webhooks after {3:N0} warm-up, {4:N0} profiles",
            System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim(), options.Senders, options.Webhooks, options.Warmup, options.Profiles));
        await using var embedded = new EmbeddedTarget();
        CosmosTarget cosmos;
        try
        {
            var scanViaChangeFeed = options.CosmosScan is null ? (bool?)null : options.CosmosScan == StoresBenchmarkOptions.ChangeFeedScan;
            cosmos = await CosmosTarget.StartAsync(options.CosmosEndpoint, options.CosmosKey, scanViaChangeFeed, output, cancellationToken);
        }
        catch (BenchSetupException ex)
        {
            error.WriteLine("bench stores: error: " + ex.Message);
            error.Flush();
            return SetupFailed;
        }

        IReadOnlyList<IStoreTarget> targets = [embedded, cosmos];
        var ingest = new List<IngestResult>();
        var recompute = new List<RecomputeResult>();
        await using (cosmos)
        {
            foreach (var target in targets)
            {
                output.WriteLine(target.Description);
            }

            var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            var started = Stopwatch.GetTimestamp();
            var workload = IngestWorkload.Create(options.Workload, secret);
            output.WriteLine(string.Format(C, "Workload: {0:N0} warm-up + {1:N0} measured signed Shopify order webhooks from {2:N0} customers ({3}; {4:N0} retried deliveries), generated in {5:0.0} s.",
                workload.Warmup.Count, workload.Measured.Count, workload.Customers,
                string.Join(", ", workload.Topics.OrderByDescending(t => t.Value).Select(t => string.Format(C, "{0} {1:N0}", t.Key, t.Value))), workload.Retries,
                Stopwatch.GetElapsedTime(started).TotalSeconds));
            output.WriteLine("Ingestion:");
            output.Flush();
            foreach (var target in targets)
            {
                ingest.Add(await IngestPhase.RunAsync(target, workload, secret, options.Senders, output, cancellationToken));
            }

            started = Stopwatch.GetTimestamp();
            var profiles = BenchProfiles.Generate(options.Profiles, options.Seed);
            output.WriteLine(string.Format(C, "Profiles: {0:N0} demo-shop customers with {1:N0} orders ({2:0.0} each; {3:N0} bought more than once), generated in {4:0.0} s.",
                profiles.Count, profiles.Sum(p => p.OrderTotals.Kept), profiles.Average(p => p.OrderTotals.Kept), profiles.Count(p => p.Orders > 1),
                Stopwatch.GetElapsedTime(started).TotalSeconds));
            output.WriteLine("Recompute:");
            output.Flush();
            foreach (var target in targets)
            {
                recompute.Add(await RecomputePhase.RunAsync(target, profiles, output, cancellationToken));
            }
        }

        output.WriteLine();
        StoresReport.WriteTable(output, options, targets, ingest, recompute);
        output.WriteLine();
        StoresReport.WriteContainers(output, "Ingestion, store operations per webhook by container", targets, [.. ingest.Select(r => r.Operations)], [.. ingest.Select(r => r.Count)]);
        StoresReport.WriteContainers(output, "Recompute, store operations by container", targets, [.. recompute.Select(r => r.Operations)], [.. recompute.Select(_ => 1)]);
        output.WriteLine();
        var problems = Check(targets, ingest, recompute);
        foreach (var problem in problems)
        {
            output.WriteLine("PROBLEM: " + problem);
        }

        if (cosmos.Charges() is { Flat: true })
        {
            output.WriteLine("Note: the Cosmos server answered every request with x-ms-request-charge: 1, whatever it did (@vercel/cosmosdb-server stamps that on every response): its \"RU\" count is a request count, not a cost. Real request units need a Cosmos DB account (--cosmos-endpoint).");
        }

        if (cosmos.ScanViaChangeFeed)
        {
            output.WriteLine("Note: the Cosmos column's scan read the change feed from the beginning (ChangeFeedScanStore) instead of the store's query: the default on the "
                + "repository's test server, whose query engine rebuilds its input quadratically for every page (about 2 s per 500-document page at 20,000 profiles, "
                + "75 s at 100,000). --cosmos-scan query runs the store's own query scan (on that server feasible up to about 20,000 profiles).");
        }

        output.WriteLine(string.Format(C, "Wall time: {0:0.0} s (set-up, generation and both stores).", clock.Elapsed.TotalSeconds));
        output.WriteLine("Command: " + options.CommandLine);
        output.Flush();
        return problems.Count == 0 ? 0 : 1;
    }

    private static List<string> Check(IReadOnlyList<IStoreTarget> targets, List<IngestResult> ingest, List<RecomputeResult> recompute)
    {
        var problems = new List<string>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (ingest[i].Failures > 0)
            {
                problems.Add(string.Format(C, "{0}: {1:N0} webhooks were neither accepted nor duplicates.", targets[i].Name, ingest[i].Failures));
            }

            if (recompute[i].Run.Profiles != recompute[i].Loaded || recompute[i].Profiles.Scanned != recompute[i].Loaded)
            {
                problems.Add(string.Format(C, "{0}: the recompute scanned {1:N0} documents and scored {2:N0} profiles, but {3:N0} were loaded.",
                    targets[i].Name, recompute[i].Profiles.Scanned, recompute[i].Run.Profiles, recompute[i].Loaded));
            }
        }

        return problems;
    }

}
