using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.PlatformFakes;
using CustomerValue.Publishing.Changes;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Platforms.Files;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Benchmarks;

/// <summary>
/// <c>bench fanout</c>: N segment changes (N profiles each joining one of two segments) published from the embedded
/// store's change feed into the per-destination queues and delivered to three destinations — Google Customer Match,
/// Meta Custom Audiences (one of the segments as the value-based seed) and Klaviyo — served by the platform fakes on
/// 127.0.0.1, which check every request. The fakes run as their own process (unless <c>--fakes-in-process</c>), so the
/// CPU reported for this process is the product's alone; the fakes' CPU is reported apart. Target: 100,000 changes in at most 30 s, batches filled to the platforms'
/// limits. Run it in Release: <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- fanout</c>.
/// </summary>
public static class FanOutBenchmark
{
    private const double TargetSeconds = 30;
    private static readonly string[] Segments = [SegmentNames.Top20, SegmentNames.Middle60];

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var changes = new Option<int>("--changes") { Description = "Segment changes to fan out (one profile each).", DefaultValueFactory = _ => 100_000 };
        BenchOptionRules.Range(changes, 10, 2_000_000);
        var inProcess = new Option<bool>("--fakes-in-process") { Description = "Run the platform fakes inside this process (as before): its CPU then includes theirs." };
        var warmUp = new Option<int>("--warm-up")
        {
            Description = "Fan out this many other profiles first, untimed, as a long-running server has done before (JIT compilation and tiering then fall mostly outside the timed part). 0: a cold process.",
            DefaultValueFactory = _ => 0,
        };
        BenchOptionRules.Range(warmUp, 0, 200_000);
        var batch = new Option<int>("--batch")
        {
            Description = "Profiles per change-feed batch handed to the publisher: 100 is the local change-feed pump's and the Cosmos DB listener's maxItemsPerInvocation.",
            DefaultValueFactory = _ => 100,
        };
        BenchOptionRules.Range(batch, 1, 10_000);
        var command = new Command("fanout", "Benchmark the delivery pipeline: segment changes published from the change feed and delivered to Google, Meta and Klaviyo fakes on 127.0.0.1. Use a Release build.") { changes, inProcess, warmUp, batch };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(changes), parse.GetValue(warmUp), parse.GetValue(batch), parse.GetValue(inProcess), parse.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(int changes, int warmUp, int batch, bool fakesInProcess, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cv-bench-fanout-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var inProcess = fakesInProcess ? await PlatformFakeServer.StartAsync() : null;
            using var outOfProcess = fakesInProcess ? null : await FakesProcess.StartAsync(cancellationToken);
            var fakesAddress = inProcess?.BaseAddress ?? outOfProcess!.BaseAddress;
            using var store = new SqliteDocumentStore(Path.Combine(folder, "bench.db"));
            await store.InitializeAsync(cancellationToken);
            await using var services = Services(store, fakesAddress, folder);
            var publisher = services.GetRequiredService<SegmentChangePublisher>();
            var pipeline = services.GetRequiredService<DeliveryPipeline>();
            // First round: the destinations' (empty) backfill, so the timed part is the fan-out alone.
            await pipeline.DeliverAllAsync(force: true, cancellationToken);
            string? continuation = null;
            if (warmUp > 0)
            {
                await SeedAsync(store, "cp-warm", warmUp, cancellationToken);
                (var warmQueued, continuation) = await PublishAllAsync(store, publisher, null, batch, cancellationToken);
                if (await DeliverAllAsync(pipeline, output, cancellationToken) is null)
                {
                    return 1;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up: {warmUp:N0} other profiles fanned out first ({warmQueued:N0} changes, not timed)"));
            }

            // Requests of the warm-up are left out of the fill figures.
            var before = await RequestsAsync(inProcess, outOfProcess, cancellationToken);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(store, "cp-bench", changes, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {changes:N0} profiles in {seeding.Elapsed.TotalSeconds:F1} s (not timed)"));

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var fakesCpuBefore = outOfProcess?.Cpu;
            var runtimeBefore = RuntimeCost.Now();
            var total = Stopwatch.StartNew();
            var (queued, _) = await PublishAllAsync(store, publisher, continuation, batch, cancellationToken);
            var published = total.Elapsed;
            var publishCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var publishRuntime = RuntimeCost.Now().Since(runtimeBefore);
            if (await DeliverAllAsync(pipeline, output, cancellationToken) is not { } delivered)
            {
                return 1;
            }

            total.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var fakesCpu = outOfProcess?.Cpu - fakesCpuBefore;
            var requests = (await RequestsAsync(inProcess, outOfProcess, cancellationToken))
                .ToDictionary(r => r.Key, r => r.Value.Skip(before.GetValueOrDefault(r.Key)?.Count ?? 0).ToList());
            var refused = Report(output, changes, batch, queued, delivered, published, total.Elapsed, cpu, fakesCpu, requests);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  publish: {publishCpu.TotalSeconds:F1} s CPU; {publishRuntime}"));
            output.WriteLine("  whole timed part: " + RuntimeCost.Now().Since(runtimeBefore));
            return total.Elapsed.TotalSeconds <= TargetSeconds && refused == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Publishes the profiles' change feed after <paramref name="continuation"/>, <paramref name="batch"/> at a time.</summary>
    private static async Task<(int Queued, string? Continuation)> PublishAllAsync(SqliteDocumentStore store, SegmentChangePublisher publisher, string? continuation, int batch, CancellationToken cancellationToken)
    {
        var queued = 0;
        while (true)
        {
            var page = await store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, continuation, batch, cancellationToken);
            if (page.Documents.Count == 0)
            {
                break;
            }

            queued += (await publisher.PublishAsync([.. page.Documents.Select(d => d.Body)], cancellationToken)).Queued;
            continuation = page.Continuation;
        }

        return (queued, continuation);
    }

    /// <summary>Delivery rounds until every destination is idle: the changes delivered, or null when one failed.</summary>
    private static async Task<int?> DeliverAllAsync(DeliveryPipeline pipeline, TextWriter output, CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (true)
        {
            var runs = await pipeline.DeliverAllAsync(force: true, cancellationToken);
            if (runs.Any(r => r.Outcome == "failed"))
            {
                output.WriteLine("a destination failed: " + string.Join("; ", runs.Where(r => r.Error is not null).Select(r => $"{r.Destination}: {r.Error}")));
                return null;
            }

            delivered += runs.Sum(r => r.Delivered);
            if (runs.All(r => r.Outcome == "idle"))
            {
                return delivered;
            }
        }
    }

    private static async Task<Dictionary<string, List<LoggedRequest>>> RequestsAsync(PlatformFakeServer? inProcess, FakesProcess? outOfProcess, CancellationToken cancellationToken) =>
        inProcess is not null
            ? new Dictionary<string, List<LoggedRequest>> { ["google"] = [.. inProcess.Google.Requests.All], ["meta"] = [.. inProcess.Meta.Requests.All], ["klaviyo"] = [.. inProcess.Klaviyo.Requests.All] }
            : await outOfProcess!.RequestsAsync(cancellationToken);

    private static ServiceProvider Services(IDocumentStore store, Uri fakes, string folder)
    {
        var settings = PlatformFakeServer.SettingsFor(fakes, Segments, retryDelay: "00:00:00.100")
            .Where(s => !s.Key.StartsWith("Destinations:webhook:", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);
        settings["Destinations:meta:ValueSeedSegment"] = SegmentNames.Top20;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IDocumentStore>(store);
        services.AddSingleton(TimeProvider.System);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(sp => new SegmentChangePublisher(store, [], TimeProvider.System, NullLogger<SegmentChangePublisher>.Instance, sp.GetRequiredService<AudienceRouting>()));
        services.AddAudienceDestinations(configuration, _ => new FolderAudienceFileStore(Path.Combine(folder, "audiences")));
        return services.BuildServiceProvider();
    }

    /// <summary>Profiles as a recompute leaves them: valued, in one segment each, with ads and e-mail consent.</summary>
    private static async Task SeedAsync(SqliteDocumentStore store, string idPrefix, int count, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{idPrefix}{i:D8}");
            var profile = new CustomerProfile
            {
                Id = id,
                Emails = [string.Create(CultureInfo.InvariantCulture, $"customer{i}@example.com")],
                Phones = [string.Create(CultureInfo.InvariantCulture, $"+1415{i % 10_000_000:D7}")],
                Consent = [new ConsentChange(ConsentChannel.Ads, true, at), new ConsentChange(ConsentChannel.Email, true, at)],
                Segments = [Segments[i % 2]],
                SegmentsRunId = "run-bench",
                Value = new CustomerValueScore { RunId = "run-bench", Method = "bench", PredictedClv = 10 + i % 500, PAlive = 0.8 },
                CreatedAt = at,
                UpdatedAt = at,
            };
            await store.UpsertAsync(ContainerNames.Profiles, id, id, profile, ct);
        });
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    /// <summary>Prints the figures; returns the requests the fakes refused for their format.</summary>
    private static int Report(TextWriter output, int changes, int batch, int queued, int delivered, TimeSpan published, TimeSpan total, TimeSpan cpu, TimeSpan? fakesCpu,
        Dictionary<string, List<LoggedRequest>> requests)
    {
        var seconds = total.TotalSeconds;
        var whose = fakesCpu is { } f
            ? string.Create(CultureInfo.InvariantCulture, $"the product's alone; the fakes' process {f.TotalSeconds:F1} s")
            : "the fakes included";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fan-out of {changes:N0} segment changes to 3 destinations: {queued:N0} queued (publish {published.TotalSeconds:F1} s), {delivered:N0} delivered; total {seconds:F1} s ({3.0 * changes / seconds:N0} deliveries/s), {cpu.TotalSeconds:F1} s CPU in this process ({whose}; machine load {Environment.ProcessorCount} cores, load average {LoadAverage()})"));
        var refused = 0;
        foreach (var (name, limit) in new[] { ("google", 10_000), ("meta", 10_000), ("klaviyo", 10_000) })
        {
            var log = requests.GetValueOrDefault(name) ?? [];
            var uploads = log.Where(r => r.Status is 200 or 202 && r.Items > 0).ToList();
            var formatErrors = log.Count(r => r.Error is not null && !r.Error.StartsWith("fault", StringComparison.Ordinal));
            refused += formatErrors;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-8} {uploads.Count,4} uploads, {uploads.Sum(r => r.Items),9:N0} members, {(uploads.Count == 0 ? 0 : uploads.Average(r => r.Items)),8:N0} per upload (limit {limit:N0}), largest {(uploads.Count == 0 ? 0 : uploads.Max(r => r.Items)):N0}; {formatErrors} refused"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: <= {TargetSeconds:F0} s for 100,000 changes: {(seconds <= TargetSeconds ? "met" : "MISSED")}"));
        output.WriteLine($"command: dotnet run -c Release --project tests/CustomerValue.Benchmarks -- fanout --changes {changes} --batch {batch}");
        return refused;
    }
}
