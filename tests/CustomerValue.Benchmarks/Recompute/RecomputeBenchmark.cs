using System.Diagnostics;
using System.Globalization;
using CustomerValue.Benchmarks.Stores;
using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Benchmarks.Recompute;

/// <summary>
/// Loads the demo shop's profiles into a fresh embedded store in chunks (never all in memory), then runs the app's
/// <see cref="CustomerValueRecompute"/> twice: a first run (every profile valued, segmented and written back) and a
/// second with nothing changed. Reports each run's phases from its own timings, the peak working set sampled during
/// the run, and the targets.
/// </summary>
internal static class RecomputeBenchmark
{
    /// <summary>Seconds the first run of 1,000,000 profiles may take.</summary>
    public const double TargetSeconds = 60;

    /// <summary>Peak working set allowed during the run of 1,000,000 profiles, in MB.</summary>
    public const double TargetPeakMb = 1536;

    private const int ChunkSize = 50_000;
    private const int LoadParallelism = 16;
    private const double Mb = 1024 * 1024;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(int count, int seed, bool custom, string? dataDir, TextWriter output, CancellationToken cancellationToken)
    {
        var command = $"dotnet run -c Release --project tests/CustomerValue.Benchmarks -- recompute --profiles {count} --seed {seed}{(custom ? "" : " --no-custom-segments")}";
        BenchEnvironment.WriteHeader(output, command, string.Format(C, "{0:N0} profiles, seed {1}, {2}", count, seed, custom ? "with the three example custom segments" : "built-in segments only"));
        var folder = dataDir ?? Path.Combine(Path.GetTempPath(), "cv-bench-recompute", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, "customervalue.db");
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        try
        {
            var loaded = await SeedAsync(database, count, seed, dataDir is not null, output, cancellationToken);
            using var store = new SqliteDocumentStore(database);
            await store.InitializeAsync(cancellationToken);
            var options = new SegmentOptions();
            if (custom)
            {
                options.DefinitionsPath = Path.Combine(folder, "segments.yaml");
                await File.WriteAllTextAsync(options.DefinitionsPath, CustomSegmentExamples.Yaml, cancellationToken);
            }

            var catalog = new CustomSegmentCatalog(new CustomSegmentStore(store), options);
            var phaseMemory = new PhaseMemory(output) { Profiles = count };
            var recompute = new CustomerValueRecompute(store, TimeProvider.System, NullLogger<CustomerValueRecompute>.Instance, options, null, catalog)
            {
                PhaseEnded = phaseMemory.Record,
            };
            var first = await TimedRunAsync(recompute, "first run", phaseMemory, output, cancellationToken);
            var second = await TimedRunAsync(recompute, "second run, nothing changed", phaseMemory, output, cancellationToken);

            output.WriteLine();
            output.WriteLine(string.Format(C, "{0} {1:N0} profiles in {2:0.0} s; database {3:N0} MB.", loaded.Copied ? "Copied the seeded store of" : "Loaded", loaded.Count, loaded.Seconds, new FileInfo(database).Length / Mb));
            var perMillion = 1_000_000.0 / first.Run.Profiles;
            output.WriteLine(string.Format(C, "First run: {0:0.0} s for {1:N0} profiles (≈ {2:0.0} s per million if linear), peak working set {3:N0} MB.",
                first.Seconds, first.Run.Profiles, first.Seconds * perMillion, first.Memory.WorkingSet / Mb));
            if (count >= 1_000_000)
            {
                output.WriteLine(string.Format(C, "Target: 1,000,000 profiles in ≤ {0:0} s: {1} ({2:0.0} s); peak working set ≤ {3:N0} MB: {4} ({5:N0} MB).",
                    TargetSeconds, first.Seconds * perMillion <= TargetSeconds ? "met" : "MISSED", first.Seconds * perMillion,
                    TargetPeakMb, first.Memory.WorkingSet / Mb <= TargetPeakMb ? "met" : "MISSED", first.Memory.WorkingSet / Mb));
            }
            else
            {
                output.WriteLine("Targets apply to --profiles 1000000.");
            }

            output.WriteLine("Command: " + command);
            return 0;
        }
        finally
        {
            if (dataDir is null)
            {
                BenchEnvironment.TryDeleteFolder(folder);
            }
        }
    }

    /// <summary>The 1-minute load average (Linux), so a reader can judge how much the wall times are worth.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    /// <summary>
    /// Fills <paramref name="database"/> with the shop's profiles. With a data folder of the caller's, the freshly loaded
    /// store is also kept beside it (<c>seeded-N-S.db</c>) and copied on later runs with the same N and seed, since loading
    /// a million profiles takes longer than the run it prepares.
    /// </summary>
    private static async Task<(int Count, double Seconds, bool Copied)> SeedAsync(string database, int count, int seed, bool keep, TextWriter output, CancellationToken cancellationToken)
    {
        var seeded = Path.Combine(Path.GetDirectoryName(database)!, string.Format(C, "seeded-{0}-{1}.db", count, seed));
        var clock = Stopwatch.StartNew();
        if (keep && File.Exists(seeded))
        {
            File.Copy(seeded, database, overwrite: true);
            output.WriteLine(string.Format(C, "  copied the seeded store {0} ({1:0} s)", seeded, clock.Elapsed.TotalSeconds));
            return (count, clock.Elapsed.TotalSeconds, true);
        }

        (int Count, double Seconds) loaded;
        using (var store = new SqliteDocumentStore(database))
        {
            await store.InitializeAsync(cancellationToken);
            loaded = await LoadAsync(store, count, seed, output, cancellationToken);
        }

        // Closing the last connection checkpoints the WAL into the database file, so the file alone is the whole store.
        if (keep)
        {
            File.Copy(database, seeded + ".part", overwrite: true);
            File.Move(seeded + ".part", seeded, overwrite: true);
        }

        return (loaded.Count, loaded.Seconds, false);
    }

    private static async Task<(int Count, double Seconds)> LoadAsync(SqliteDocumentStore store, int count, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var written = 0;
        for (var chunk = 0; written < count; chunk++)
        {
            var profiles = BenchProfiles.Generate(Math.Min(ChunkSize, count - written), seed + (chunk * 7919), chunk);
            await Parallel.ForEachAsync(profiles, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken },
                async (profile, ct) => await store.UpsertAsync(ContainerNames.Profiles, profile.Id, profile.Id, profile, ct));
            written += profiles.Count;
            output.WriteLine(string.Format(C, "  loaded {0:N0} of {1:N0} profiles ({2:0} s)", written, count, clock.Elapsed.TotalSeconds));
        }

        return (written, clock.Elapsed.TotalSeconds);
    }

    private static async Task<(RecomputeRun Run, double Seconds, PeakMemory Memory)> TimedRunAsync(CustomerValueRecompute recompute, string label, PhaseMemory phaseMemory, TextWriter output, CancellationToken cancellationToken)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var sampler = PeakMemorySampler.Start();
        phaseMemory.Begin(sampler);
        var clock = Stopwatch.StartNew();
        var run = await recompute.RunAsync(CustomerValueRecompute.RunIdFor(DateTimeOffset.UtcNow), cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var memory = sampler.Stop();
        var t = run.Timings!;
        output.WriteLine(string.Format(C,
            "  {0}: {1:0.0} s for {2:N0} profiles ({3:N0} ranked, {4:N0} written): scan {5:0.0} s, model fit and scoring {6:0.0} s, segments {7:0.0} s, write-back {8:0.0} s, KPIs/matrix/channels {9:0.0} s; peak working set {10:N0} MB (managed heap {11:N0} MB; {12:N0} MB when the run started); {13}",
            label, seconds, run.Profiles, run.Ranked, run.Written, t.Scan, t.Model, t.Segments, t.WriteBack, t.Summary,
            memory.WorkingSet / Mb, memory.ManagedHeap / Mb, memory.StartWorkingSet / Mb, run.Method));
        var u = run.CpuTimings!;
        output.WriteLine(string.Format(C, "    CPU time (all threads): scan {0:0.0} s, model {1:0.0} s, segments {2:0.0} s, write-back {3:0.0} s, KPIs {4:0.0} s; machine load average {5}",
            u.Scan, u.Model, u.Segments, u.WriteBack, u.Summary, LoadAverage()));
        if (run.CustomSegmentProblems.Count > 0)
        {
            output.WriteLine("  custom segment problems: " + string.Join(" | ", run.CustomSegmentProblems));
        }

        output.Flush();
        return (run, seconds, memory);
    }
}
