using System.CommandLine;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// <c>bench stores</c>: the same ingestion and recompute on the embedded store and on Cosmos DB's API (the
/// open-source Cosmos-API server of the tests, or <c>--cosmos-endpoint</c>), side by side — point operations,
/// request units and throughput per webhook, and the recompute's scan and write-back rates. Run it in
/// Release from the repository: <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- stores</c>.
/// </summary>
public static class StoresBenchmarkCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var webhooks = new Option<int>("--webhooks") { Description = "Measured webhooks per store (after the warm-up).", DefaultValueFactory = _ => StoresBenchmarkOptions.DefaultWebhooks };
        var senders = new Option<int>("--senders") { Description = "Concurrent senders handing webhooks to the ingestor.", DefaultValueFactory = _ => StoresBenchmarkOptions.DefaultSenders };
        var customers = new Option<int>("--customers") { Description = "Customers of the synthetic shop whose orders are sent (raised automatically if they place too few orders).", DefaultValueFactory = _ => StoresBenchmarkOptions.DefaultCustomers };
        var warmup = new Option<int>("--warmup") { Description = "Webhooks ingested into each store before measuring (JIT, connections, caches).", DefaultValueFactory = _ => StoresBenchmarkOptions.DefaultWarmup };
        var profiles = new Option<int>("--profiles") { Description = "Customer profiles the recompute scans and writes back, per store.", DefaultValueFactory = _ => StoresBenchmarkOptions.DefaultProfiles };
        var seed = new Option<int>("--seed") { Description = "Random seed of the synthetic shop and profiles.", DefaultValueFactory = _ => 42 };
        var endpoint = new Option<string?>("--cosmos-endpoint")
        {
            Description = "A Cosmos DB (NoSQL API) endpoint to use instead of starting tests/emulators/cosmos-server.js (gateway mode; databases bench-stores-* are created and deleted).",
            HelpName = "URL",
        };
        var key = new Option<string?>("--cosmos-key") { Description = "Account key for --cosmos-endpoint (default: the emulator's well-known key).", HelpName = "KEY" };
        var scan = new Option<string?>("--cosmos-scan")
        {
            Description = "How the recompute's scan reads Cosmos DB: query (the store's own SELECT * FROM c) or change-feed (a stand-in). Default: change-feed on the started test server, whose query engine is quadratic in the container size; query on --cosmos-endpoint.",
        };
        scan.AcceptOnlyFromAmong(StoresBenchmarkOptions.QueryScan, StoresBenchmarkOptions.ChangeFeedScan);
        BenchOptionRules.Range(webhooks, 1, 10_000_000);
        BenchOptionRules.Range(senders, 1, 1024);
        BenchOptionRules.Range(customers, 10, 1_000_000);
        BenchOptionRules.Range(warmup, 0, 1_000_000);
        BenchOptionRules.Range(profiles, 100, 10_000_000);
        endpoint.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && EndpointOf(value) is null)
            {
                r.AddError("--cosmos-endpoint must be an absolute http(s) URL, e.g. https://127.0.0.1:8081/.");
            }
        });
        var command = new Command("stores", "Benchmark the stores: the same webhook ingestion and recompute on the embedded store and on the Cosmos-API server (point operations, request units, throughput; scan and write-back rates). Use a Release build.")
        {
            webhooks, senders, customers, warmup, profiles, seed, endpoint, key, scan,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(key) is not null && r.GetValue(endpoint) is null)
            {
                r.AddError("--cosmos-key needs --cosmos-endpoint.");
            }
        });
        command.SetAction((parse, ct) => StoresBenchmark.RunAsync(
            new StoresBenchmarkOptions
            {
                Webhooks = parse.GetValue(webhooks),
                Senders = parse.GetValue(senders),
                Customers = parse.GetValue(customers),
                Warmup = parse.GetValue(warmup),
                Profiles = parse.GetValue(profiles),
                Seed = parse.GetValue(seed),
                CosmosEndpoint = parse.GetValue(endpoint) is { } value ? EndpointOf(value) : null,
                CosmosKey = parse.GetValue(key),
                CosmosScan = parse.GetValue(scan),
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }

    /// <summary>An absolute http(s) URL, or null.</summary>
    private static Uri? EndpointOf(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;
}

/// <summary>Settings of one <c>bench stores</c> run.</summary>
public sealed record StoresBenchmarkOptions
{
    /// <summary>
    /// Default measured webhooks per store: the Cosmos-API server is an in-memory JavaScript server, far slower than
    /// the embedded store, and the whole default run should stay within a few minutes.
    /// </summary>
    public const int DefaultWebhooks = 5_000;

    /// <summary>Default concurrent senders (as <c>bench ingest</c>).</summary>
    public const int DefaultSenders = 32;

    /// <summary>Default customers of the synthetic shop (as <c>bench ingest</c>).</summary>
    public const int DefaultCustomers = 5_000;

    /// <summary>Default warm-up webhooks per store.</summary>
    public const int DefaultWarmup = 500;

    /// <summary>Default profiles for the recompute: the figure the stores comparison is about.</summary>
    public const int DefaultProfiles = 100_000;

    /// <summary><c>--cosmos-scan</c> value: the store's own query scan.</summary>
    public const string QueryScan = "query";

    /// <summary><c>--cosmos-scan</c> value: the change-feed stand-in.</summary>
    public const string ChangeFeedScan = "change-feed";

    /// <summary>Measured webhooks per store.</summary>
    public int Webhooks { get; init; } = DefaultWebhooks;

    /// <summary>Concurrent senders.</summary>
    public int Senders { get; init; } = DefaultSenders;

    /// <summary>Customers whose orders are sent.</summary>
    public int Customers { get; init; } = DefaultCustomers;

    /// <summary>Webhooks ingested before measuring.</summary>
    public int Warmup { get; init; } = DefaultWarmup;

    /// <summary>Profiles for the recompute.</summary>
    public int Profiles { get; init; } = DefaultProfiles;

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>A Cosmos DB endpoint to use; null to start the repository's Cosmos-API server.</summary>
    public Uri? CosmosEndpoint { get; init; }

    /// <summary>The key for <see cref="CosmosEndpoint"/>; null for the emulator's well-known key. Never printed.</summary>
    public string? CosmosKey { get; init; }

    /// <summary>How the recompute's scan reads Cosmos DB (<see cref="QueryScan"/> or <see cref="ChangeFeedScan"/>); null for the default.</summary>
    public string? CosmosScan { get; init; }

    /// <summary>The command line that reproduces the run (the key hidden).</summary>
    public string CommandLine =>
        $"bench stores --webhooks {Webhooks} --senders {Senders} --customers {Customers} --warmup {Warmup} --profiles {Profiles} --seed {Seed}"
        + (CosmosEndpoint is null ? "" : $" --cosmos-endpoint {CosmosEndpoint}")
        + (CosmosKey is null ? "" : " --cosmos-key <hidden>")
        + (CosmosScan is null ? "" : $" --cosmos-scan {CosmosScan}");

    /// <summary>The ingestion workload's settings, shared with <c>bench ingest</c>'s generator.</summary>
    public IngestBenchmarkOptions Workload => new()
    {
        Webhooks = Webhooks,
        Senders = Senders,
        Customers = Customers,
        Warmup = Warmup,
        Seed = Seed,
    };

    /// <summary>Hides the key from record printing.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(CommandLine);
        return true;
    }
}
