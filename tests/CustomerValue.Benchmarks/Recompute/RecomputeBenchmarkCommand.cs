using System.CommandLine;

namespace CustomerValue.Benchmarks.Recompute;

/// <summary>
/// <c>bench recompute</c>: the scheduled recompute of many profiles on the embedded store, with the three example
/// custom segments (target: 1,000,000 profiles in at most 60 s with a peak working set of at most 1.5 GB). Run it in
/// Release: <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- recompute --profiles 1000000</c>.
/// </summary>
public static class RecomputeBenchmarkCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var profiles = new Option<int>("--profiles") { Description = "Profiles in the store (the demo shop's customers).", DefaultValueFactory = _ => 100_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the shop.", DefaultValueFactory = _ => 7 };
        var noCustom = new Option<bool>("--no-custom-segments") { Description = "Run without the three example custom segments." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the store is created (default: a new temporary folder, deleted afterwards). A folder given here keeps a copy of the freshly loaded store (seeded-N-SEED.db) and later runs with the same N and seed start from a copy of it instead of loading again.", HelpName = "DIR" };
        BenchOptionRules.Range(profiles, 1_000, 5_000_000);
        var command = new Command("recompute", "Benchmark the recompute: N demo-shop profiles loaded into a fresh embedded store, then one first run (scan, model fit and scoring, built-in and custom segments, write-back of every profile, KPIs) and a second run with nothing changed. Use a Release build.")
        {
            profiles, seed, noCustom, dataDir,
        };
        command.SetAction((parse, ct) => RecomputeBenchmark.RunAsync(
            parse.GetValue(profiles), parse.GetValue(seed), !parse.GetValue(noCustom),
            parse.GetValue(dataDir) is { } dir ? Path.GetFullPath(dir) : null, parse.InvocationConfiguration.Output, ct));
        return command;
    }
}
