using System.CommandLine;

namespace CustomerValue.Benchmarks;

/// <summary>
/// <c>bench import</c>: one synthetic POS export parsed by the CSV library alone, mapped by our reader, and imported
/// into a fresh embedded store, twice (the target: at least half the parse-only rate, and a peak working set
/// under 300 MB for a 1 GB export). Run it in Release:
/// <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- import --megabytes 1024</c>.
/// </summary>
public static class ImportBenchmarkCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var megabytes = new Option<int>("--megabytes") { Description = "Size of the synthetic export in MB (1 MB = 1,048,576 bytes). The memory target is for 1,024.", DefaultValueFactory = _ => ImportBenchmarkOptions.DefaultMegabytes };
        var rows = new Option<int?>("--rows") { Description = "Rows of the synthetic export instead of a size (overrides --megabytes)." };
        var customers = new Option<int?>("--customers") { Description = "Customers the rows are drawn from (default: one per eight rows)." };
        var seed = new Option<int>("--seed") { Description = "Random seed of the synthetic export.", DefaultValueFactory = _ => 42 };
        var batchRecords = new Option<int?>("--batch-records") { Description = "Rows per import batch (PosExports:BatchRecords; default: the importer's)." };
        var batchPeople = new Option<int?>("--batch-people") { Description = "Different customers per import batch at most (PosExports:BatchPeople; default: the importer's)." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where the export and the stores are created and kept; its jit-warmup and import subfolders are replaced (default: a new temporary folder, deleted afterwards).", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "Continue an import that was interrupted (the process stopped) in --data-dir: the export is not replaced, the importer resumes from its last checkpoint, the rates count only the rows of this attempt, and the passes without a store are skipped." };
        var reimports = new Option<int>("--reimports") { Description = "Times the file is re-imported after the import, each as a new upload; the fastest is kept (each one's CPU is printed).", DefaultValueFactory = _ => 1 };
        BenchOptionRules.Range(megabytes, 1, 4096);
        BenchOptionRules.Range(reimports, 1, 20);
        BenchOptionRules.Range(rows, 1, 100_000_000);
        BenchOptionRules.Range(customers, 1, 50_000_000);
        BenchOptionRules.Range(batchRecords, 1, 1_000_000);
        BenchOptionRules.Range(batchPeople, 1, 1_000_000);
        var command = new Command("import", "Benchmark POS export imports: a synthetic generic-layout export parsed by Sylvan.Data.Csv alone, mapped by PosExportReader, and imported into a fresh embedded store (then re-imported). Use a Release build.")
        {
            megabytes, rows, customers, seed, batchRecords, batchPeople, dataDir, resume, reimports,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(dataDir) is null)
            {
                result.AddError("--resume continues the import kept in --data-dir: give --data-dir.");
            }
        });
        command.SetAction((parse, ct) => ImportBenchmark.RunAsync(
            new ImportBenchmarkOptions
            {
                Megabytes = parse.GetValue(megabytes),
                Rows = parse.GetValue(rows),
                Customers = parse.GetValue(customers),
                Seed = parse.GetValue(seed),
                BatchRecords = parse.GetValue(batchRecords),
                BatchPeople = parse.GetValue(batchPeople),
                DataDir = parse.GetValue(dataDir) is { } dir ? Path.GetFullPath(dir) : null,
                Resume = parse.GetValue(resume),
                Reimports = parse.GetValue(reimports),
            },
            parse.InvocationConfiguration.Output,
            ct));
        return command;
    }

}

/// <summary>Settings of one <c>bench import</c> run.</summary>
public sealed record ImportBenchmarkOptions
{
    /// <summary>Default export size in MB.</summary>
    public const int DefaultMegabytes = 100;

    /// <summary>Export size in MB, unless <see cref="Rows"/> is given.</summary>
    public int Megabytes { get; init; } = DefaultMegabytes;

    /// <summary>Export rows; null to size the export by <see cref="Megabytes"/>.</summary>
    public int? Rows { get; init; }

    /// <summary>Customers the rows are drawn from; null for one per eight rows.</summary>
    public int? Customers { get; init; }

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Rows per import batch; null for the importer's default.</summary>
    public int? BatchRecords { get; init; }

    /// <summary>Different customers per import batch at most; null for the importer's default.</summary>
    public int? BatchPeople { get; init; }

    /// <summary>Where the export and stores go; null for a temporary folder that is deleted afterwards.</summary>
    public string? DataDir { get; init; }

    /// <summary>Continue the interrupted import kept in <see cref="DataDir"/> instead of starting a new one.</summary>
    public bool Resume { get; init; }

    /// <summary>Times the file is re-imported after the import (the fastest pass is reported).</summary>
    public int Reimports { get; init; } = 1;

    /// <summary>The command line that reproduces the run.</summary>
    public string CommandLine =>
        $"bench import {(Rows is { } rows ? $"--rows {rows}" : $"--megabytes {Megabytes}")}{(Customers is { } customers ? $" --customers {customers}" : "")} --seed {Seed}{(BatchRecords is { } batch ? $" --batch-records {batch}" : "")}{(BatchPeople is { } people ? $" --batch-people {people}" : "")}{(DataDir is null ? "" : $" --data-dir {DataDir}")}{(Resume ? " --resume" : "")}{(Reimports == 1 ? "" : $" --reimports {Reimports}")}";
}
