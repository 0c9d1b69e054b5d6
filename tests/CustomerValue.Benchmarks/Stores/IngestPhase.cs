using System.Diagnostics;
using System.Globalization;
using CustomerValue.Functions.Configuration;
using CustomerValue.Application.Webhooks;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// Ingestion on one store: the workload's signed Shopify deliveries handed to the app's own
/// <see cref="WebhookIngestor"/> (signature, parse, dedupe, identity resolution, delivery record) by concurrent
/// senders, without HTTP in front — the store is what differs between the rows, so nothing else should add to it.
/// The services are the app's (<see cref="ServiceRegistration.AddCustomerValue"/>) with the store swapped for the
/// counting one; the warm-up deliveries go first and are not measured.
/// </summary>
internal static class IngestPhase
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs the phase on a fresh store of <paramref name="target"/>.</summary>
    public static async Task<IngestResult> RunAsync(IStoreTarget target, IngestWorkload workload, string secret, int senders, TextWriter output, CancellationToken cancellationToken)
    {
        await using var phase = await target.OpenAsync("ingest", cancellationToken);
        var store = new CountingDocumentStore(phase.Store);
        await using var services = BuildServices(store, secret);
        var ingestor = services.GetRequiredService<WebhookIngestor>();
        WebhookPlatforms.Default.TryGet("shopify", out var platform);
        async Task<string> IngestAsync(SignedWebhook webhook, CancellationToken ct)
        {
            var outcome = await ingestor.IngestAsync(platform!, WebhookRequest.Create("shopify", webhook.Headers, webhook.Body, DateTimeOffset.UtcNow), ct);
            return outcome.Kind switch
            {
                WebhookOutcomeKind.Accepted => "accepted",
                WebhookOutcomeKind.Duplicate => "duplicate",
                _ => outcome.Kind.ToString(),
            };
        }

        var warmup = await SenderPool.RunAsync(workload.Warmup, senders, IngestAsync, null, null, cancellationToken);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var latencies = new double[workload.Measured.Count];
        var operations = store.Snapshot();
        var charges = target.Charges();
        var started = Stopwatch.GetTimestamp();
        var statuses = await SenderPool.RunAsync(workload.Measured, senders, IngestAsync, latencies, null, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = new IngestResult(workload.Measured.Count, elapsed, latencies, statuses, Failures(warmup),
            store.Snapshot().Since(operations), target.Charges()?.Since(charges!));
        output.WriteLine(string.Format(C, "  {0}: {1:N0} webhooks in {2:0.00} s = {3:N0}/s, p50 {4:0.0} ms, p99 {5:0.0} ms",
            target.Name, result.Count, elapsed.TotalSeconds, result.PerSecond, result.Percentile(0.5), result.Percentile(0.99)));
        output.Flush();
        return result;
    }

    private static int Failures(Dictionary<string, int> statuses) =>
        statuses.Where(s => s.Key is not ("accepted" or "duplicate")).Sum(s => s.Value);

    private static ServiceProvider BuildServices(IDocumentStore store, string secret)
    {
        // Settings from here only: a CosmosDb or PosExportStorage variable in the environment must not swap parts.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Shopify:Secret"] = secret,
            ["LocalMode:Enabled"] = "false",
            ["Identity:DefaultRegion"] = "US",
        }).Build();
        // Nothing is written to the data folder: the store is ours, and no inbox, outbox or trigger is used.
        var settings = ServerSettings.From(configuration, Path.Combine(Path.GetTempPath(), "cv-bench-stores", "unused"));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true));
        services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        services.AddCustomerValue(configuration, settings);
        services.AddSingleton<IDocumentStore>(store); // registered last, so it is the IDocumentStore everything gets
        return services.BuildServiceProvider();
    }
}

/// <summary>The figures of ingestion on one store.</summary>
/// <param name="Count">Measured webhooks.</param>
/// <param name="Elapsed">Wall time of the measured webhooks.</param>
/// <param name="LatenciesMs">Each webhook's time in <see cref="WebhookIngestor.IngestAsync"/>.</param>
/// <param name="Statuses">Outcomes: accepted, duplicate, or what went wrong.</param>
/// <param name="WarmupFailures">Warm-up webhooks that were neither accepted nor duplicates.</param>
/// <param name="Operations">Store operations of the measured webhooks.</param>
/// <param name="Charges">Cosmos DB requests and request units of the measured webhooks; null for the embedded store.</param>
internal sealed record IngestResult(
    int Count, TimeSpan Elapsed, double[] LatenciesMs, IReadOnlyDictionary<string, int> Statuses, int WarmupFailures,
    StoreOperations Operations, RequestCharges? Charges)
{
    private double[]? _sorted;

    /// <summary>Webhooks per second.</summary>
    public double PerSecond => Count / Elapsed.TotalSeconds;

    /// <summary>Webhooks that were neither accepted nor recognized as duplicates, warm-up included.</summary>
    public int Failures => WarmupFailures + Statuses.Where(s => s.Key is not ("accepted" or "duplicate")).Sum(s => s.Value);

    /// <summary>A latency percentile in milliseconds (nearest rank).</summary>
    public double Percentile(double p)
    {
        _sorted ??= [.. LatenciesMs.Order()];
        return _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];
    }
}
