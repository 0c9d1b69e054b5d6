using System.CommandLine;

using CustomerValue.Cli;
using CustomerValue.Cli.Clv;

namespace CustomerValue.Benchmarks;

/// <summary>
/// <c>bench</c>: the models' performance targets, outside the test suite. Run it in Release:
/// <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks</c>.
/// </summary>
public static class BenchCommand
{
    /// <summary>Where <c>--cdnow</c> is looked for by default, relative to the working directory (the repository root).</summary>
    public const string DefaultCdnowPath = "tests/CustomerValue.Models.Tests/Data/cdnow_customers_summary.csv";

    /// <summary>Builds the command.</summary>
    public static RootCommand Build()
    {
        var customers = new Option<int>("--customers") { Description = "Simulated customers for the BG/NBD fit and the scoring.", DefaultValueFactory = _ => 1_000_000 };
        customers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1_000 or > 20_000_000)
            {
                r.AddError("--customers must be between 1,000 and 20,000,000.");
            }
        });
        var repetitions = new Option<int>("--repetitions") { Description = "Timed runs per task (the median is reported), after one warm-up.", DefaultValueFactory = _ => 5 };
        repetitions.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100)
            {
                r.AddError("--repetitions must be between 1 and 100.");
            }
        });
        var days = new Option<int>("--days") { Description = "Observation window of the simulated customers, in days.", DefaultValueFactory = _ => 365 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the simulation.", DefaultValueFactory = _ => 1 };
        var cdnow = new Option<string?>("--cdnow")
        {
            Description = $"CDNOW summary CSV for the Pareto/NBD fit (default: {DefaultCdnowPath} under the working directory; skipped if absent).",
            HelpName = "FILE",
        };
        var clvCli = new Option<string?>("--clv-cli")
        {
            Description = "CustomerValue.Cli.dll to time `clv predict` with, e.g. a ReadyToRun publish (default: the build beside this benchmark).",
            HelpName = "FILE",
        };
        var command = new RootCommand("Benchmark against the performance targets: BG/NBD fit and scoring of 1,000,000 simulated customers, Pareto/NBD fit on CDNOW, peak memory. Use a Release build.")
        {
            customers, repetitions, days, seed, cdnow, clvCli,
        };
        // `bench ingest`: webhooks through the real HTTP endpoint onto the embedded store (the ingestion targets).
        command.Add(Benchmarks.IngestBenchmarkCommand.Build());
        command.Add(Benchmarks.Stores.StoresBenchmarkCommand.Build());
        command.Add(Benchmarks.ImportBenchmarkCommand.Build());
        command.Add(Benchmarks.Recompute.RecomputeBenchmarkCommand.Build());
        command.Add(Benchmarks.SoakBenchmarkCommand.Build());
        command.Add(Benchmarks.DashboardBenchmark.Build());
        command.Add(Benchmarks.FanOutBenchmark.Build());
        command.Add(Benchmarks.Wrk.WrkBenchmarkCommand.Build());
        CliAction.Set(command, (parse, output, error, ct) =>
        {
            string? cdnowPath = parse.GetValue(cdnow);
            bool explicitCdnow = cdnowPath is not null;
            cdnowPath ??= Path.Combine(Directory.GetCurrentDirectory(), DefaultCdnowPath);
            if (explicitCdnow)
            {
                InputSniffer.EnsureExists(cdnowPath);
            }
            else if (!File.Exists(cdnowPath))
            {
                error.WriteLine($"bench: note: {cdnowPath} not found; the Pareto/NBD row is skipped (run from the repository root or pass --cdnow FILE).");
                cdnowPath = null;
            }

            string? cli = parse.GetValue(clvCli);
            if (cli is not null)
            {
                InputSniffer.EnsureExists(cli);
            }

            var settings = new BenchSettings(parse.GetValue(customers), parse.GetValue(days), parse.GetValue(repetitions), parse.GetValue(seed), cdnowPath)
            {
                ClvCli = cli,
            };
            return new BenchRunner(settings, output, ct).Run();
        });
        return command;
    }
}

/// <summary>Settings of one <c>bench</c> run.</summary>
/// <param name="Customers">Simulated customers.</param>
/// <param name="Days">Observation window in days.</param>
/// <param name="Repetitions">Timed runs per task.</param>
/// <param name="Seed">Simulation seed.</param>
/// <param name="CdnowPath">CDNOW summary CSV, or null to skip the Pareto/NBD task.</param>
public sealed record BenchSettings(int Customers, int Days, int Repetitions, int Seed, string? CdnowPath)
{
    /// <summary>The CLI assembly `clv predict` is timed with; null: the one built beside the benchmark.</summary>
    public string? ClvCli { get; init; }
}
