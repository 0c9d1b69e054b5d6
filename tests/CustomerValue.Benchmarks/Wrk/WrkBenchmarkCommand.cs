using System.CommandLine;
using System.Globalization;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>
/// <c>bench wrk</c>: webhooks from the external load generator wrk against the server as its own process, on an idle
/// server and while it imports a POS export (the targets: ≥ 2,000 webhooks/s and p99 &lt; 50 ms during an import).
/// </summary>
public static class WrkBenchmarkCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var defaults = new WrkOptions();
        var duration = new Option<int>("--duration") { Description = "Seconds of each measured wrk run (idle, then during the import).", DefaultValueFactory = _ => defaults.DurationSeconds };
        var warmup = new Option<int>("--warmup") { Description = "Seconds of the wrk warm-up run before measuring (JIT, connections, caches).", DefaultValueFactory = _ => defaults.WarmupSeconds };
        var threads = new Option<int>("--threads") { Description = "wrk threads.", DefaultValueFactory = _ => defaults.Threads };
        var connections = new Option<int>("--connections") { Description = "wrk connections (kept alive), over all threads.", DefaultValueFactory = _ => defaults.Connections };
        var webhooks = new Option<int>("--webhooks") { Description = "Distinct signed webhooks per measured run; a run that sends more starts its set over (repeats are answered as duplicates and reported).", DefaultValueFactory = _ => defaults.Webhooks };
        var importRows = new Option<int>("--import-rows") { Description = "Rows of the synthetic POS export the server imports during the second run; it must outlast the run (the report says whether it did).", DefaultValueFactory = _ => defaults.ImportRows, HelpName = "ROWS" };
        var customers = new Option<int>("--customers") { Description = "Customers of the synthetic shop whose orders are sent (raised automatically if they place too few orders).", DefaultValueFactory = _ => defaults.Customers };
        var seed = new Option<int>("--seed") { Description = "Random seed of the shop and of the export.", DefaultValueFactory = _ => defaults.Seed };
        var wrk = new Option<string>("--wrk") { Description = "The wrk executable (a name looked up on the PATH, or a path).", DefaultValueFactory = _ => defaults.Wrk, HelpName = "PATH" };
        BenchOptionRules.Range(duration, 5, 3_600);
        BenchOptionRules.Range(warmup, 1, 600);
        BenchOptionRules.Range(threads, 1, 64);
        BenchOptionRules.Range(connections, 1, 10_000);
        BenchOptionRules.Range(webhooks, 1_000, 5_000_000);
        BenchOptionRules.Range(importRows, 10_000, 100_000_000);
        BenchOptionRules.Range(customers, 10, 1_000_000);
        var command = new Command("wrk", "Benchmark webhooks under external load: wrk posts pre-signed Shopify order webhooks to the server running as its own process, on an idle server and while it imports a POS export. Needs wrk (apt-get install -y wrk). Use a Release build.")
        {
            duration, warmup, threads, connections, webhooks, importRows, customers, seed, wrk,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(connections) < r.GetValue(threads))
            {
                r.AddError("--connections must be at least --threads (wrk gives every thread its own connections).");
            }
        });
        command.SetAction((parse, ct) => WrkBenchmark.RunAsync(
            new WrkOptions
            {
                DurationSeconds = parse.GetValue(duration),
                WarmupSeconds = parse.GetValue(warmup),
                Threads = parse.GetValue(threads),
                Connections = parse.GetValue(connections),
                Webhooks = parse.GetValue(webhooks),
                ImportRows = parse.GetValue(importRows),
                Customers = parse.GetValue(customers),
                Seed = parse.GetValue(seed),
                Wrk = parse.GetValue(wrk)!,
            },
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }
}

/// <summary>Settings of one <c>bench wrk</c> run.</summary>
public sealed record WrkOptions
{
    /// <summary>Seconds of each measured run.</summary>
    public int DurationSeconds { get; init; } = 30;

    /// <summary>Seconds of the warm-up run.</summary>
    public int WarmupSeconds { get; init; } = 10;

    /// <summary>wrk threads (the issue's measurement used 2).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>wrk connections over all threads (the issue's measurement used 32).</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Distinct webhooks per measured run (the warm-up gets its own, in proportion to its length).</summary>
    public int Webhooks { get; init; } = 100_000;

    /// <summary>Rows of the POS export imported during the second run.</summary>
    public int ImportRows { get; init; } = 1_000_000;

    /// <summary>Customers of the synthetic shop.</summary>
    public int Customers { get; init; } = 20_000;

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The wrk executable.</summary>
    public string Wrk { get; init; } = "wrk";

    /// <summary>Distinct webhooks of the warm-up run.</summary>
    public int WarmupWebhooks => (int)Math.Max(Threads, (long)Webhooks * WarmupSeconds / DurationSeconds);

    /// <summary>The command line that reproduces the run.</summary>
    public string CommandLine => string.Create(CultureInfo.InvariantCulture,
        $"wrk --duration {DurationSeconds} --warmup {WarmupSeconds} --threads {Threads} --connections {Connections} --webhooks {Webhooks} --import-rows {ImportRows} --customers {Customers} --seed {Seed}{(Wrk == "wrk" ? "" : $" --wrk {Wrk}")}");
}
