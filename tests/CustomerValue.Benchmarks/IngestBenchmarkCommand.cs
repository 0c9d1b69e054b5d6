using System.CommandLine;

namespace CustomerValue.Benchmarks;

/// <summary>
/// <c>bench ingest</c>: order webhooks through the real HTTP endpoint onto the embedded store (the target:
/// at least 2,000 webhooks/s with 32 concurrent senders, p99 under 50 ms). Run it in Release:
/// <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- ingest</c>.
/// </summary>
public static class IngestBenchmarkCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var webhooks = new Option<int>("--webhooks") { Description = "Measured webhooks (after the warm-up).", DefaultValueFactory = _ => IngestBenchmarkOptions.DefaultWebhooks };
        var senders = new Option<int>("--senders") { Description = "Concurrent senders (keep-alive connections).", DefaultValueFactory = _ => IngestBenchmarkOptions.DefaultSenders };
        var customers = new Option<int>("--customers") { Description = "Customers of the synthetic shop whose orders are sent (raised automatically if they place too few orders).", DefaultValueFactory = _ => IngestBenchmarkOptions.DefaultCustomers };
        var warmup = new Option<int>("--warmup") { Description = "Webhooks sent before measuring (JIT, connections, pools).", DefaultValueFactory = _ => IngestBenchmarkOptions.DefaultWarmup };
        var seed = new Option<int>("--seed") { Description = "Random seed of the synthetic shop.", DefaultValueFactory = _ => 42 };
        var storeOnly = new Option<bool>("--skip-store-only") { Description = "Measure only the HTTP path, not the same work without HTTP." };
        var duringImport = new Option<int>("--during-import") { Description = "Rows of a synthetic POS export the same server imports while the measured webhooks are sent (0: no import). The webhook targets hold during an import too.", HelpName = "ROWS" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the benchmark's stores are created (default: a new temporary folder, deleted afterwards).", HelpName = "DIR" };
        BenchOptionRules.Range(webhooks, 1, 10_000_000);
        BenchOptionRules.Range(senders, 1, 1024);
        BenchOptionRules.Range(customers, 10, 1_000_000);
        BenchOptionRules.Range(warmup, 0, 1_000_000);
        BenchOptionRules.Range(duringImport, 0, 100_000_000);
        var command = new Command("ingest", "Benchmark webhook ingestion: signed Shopify order webhooks over HTTP onto the embedded store, and the same work through ProfileResolver without HTTP. Use a Release build.")
        {
            webhooks, senders, customers, warmup, seed, storeOnly, duringImport, dataDir,
        };
        command.SetAction((parse, ct) => IngestBenchmark.RunAsync(
            new IngestBenchmarkOptions
            {
                Webhooks = parse.GetValue(webhooks),
                Senders = parse.GetValue(senders),
                Customers = parse.GetValue(customers),
                Warmup = parse.GetValue(warmup),
                Seed = parse.GetValue(seed),
                StoreOnly = !parse.GetValue(storeOnly),
                DuringImportRows = parse.GetValue(duringImport),
                DataDir = parse.GetValue(dataDir) is { } dir ? Path.GetFullPath(dir) : null,
            },
            parse.InvocationConfiguration.Output,
            ct));
        return command;
    }
}

/// <summary>Settings of one <c>bench ingest</c> run.</summary>
public sealed record IngestBenchmarkOptions
{
    /// <summary>Default measured webhooks.</summary>
    public const int DefaultWebhooks = 20_000;

    /// <summary>Default concurrent senders.</summary>
    public const int DefaultSenders = 32;

    /// <summary>Default customers of the synthetic shop.</summary>
    public const int DefaultCustomers = 5_000;

    /// <summary>Default warm-up webhooks.</summary>
    public const int DefaultWarmup = 1_000;

    /// <summary>Measured webhooks.</summary>
    public int Webhooks { get; init; } = DefaultWebhooks;

    /// <summary>Concurrent senders.</summary>
    public int Senders { get; init; } = DefaultSenders;

    /// <summary>Customers whose orders are sent.</summary>
    public int Customers { get; init; } = DefaultCustomers;

    /// <summary>Webhooks sent before measuring.</summary>
    public int Warmup { get; init; } = DefaultWarmup;

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Also measure the same activities through ProfileResolver (and the ingestor) without HTTP.</summary>
    public bool StoreOnly { get; init; } = true;

    /// <summary>Rows of a POS export imported by the same server while the measured webhooks are sent; 0 for none.</summary>
    public int DuringImportRows { get; init; }

    /// <summary>Where the stores go; null for a temporary folder that is deleted afterwards.</summary>
    public string? DataDir { get; init; }

    /// <summary>The command line that reproduces the run.</summary>
    public string CommandLine =>
        $"bench ingest --webhooks {Webhooks} --senders {Senders} --customers {Customers} --warmup {Warmup} --seed {Seed}{(StoreOnly ? "" : " --skip-store-only")}{(DuringImportRows > 0 ? $" --during-import {DuringImportRows}" : "")}{(DataDir is null ? "" : $" --data-dir {DataDir}")}";
}
