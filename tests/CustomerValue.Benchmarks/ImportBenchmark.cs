using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Text;
using CustomerValue.Application.PosImports;
using CustomerValue.Functions.Configuration;
using CustomerValue.Ingestion.PosExports;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Exports;
using Microsoft.Data.Sqlite;
using Sylvan.Data.Csv;

namespace CustomerValue.Benchmarks;

/// <summary>
/// Runs <c>bench import</c>: one synthetic POS export (<see cref="SyntheticPosExport"/>), read five ways in one process:
/// <list type="number">
/// <item>parse only: Sylvan.Data.Csv with our reader's options, every field as a span — the rate the import is compared with;</item>
/// <item>parse only, every field as a string;</item>
/// <item>map only: <see cref="PosExportReader"/> with the generic layout, no store;</item>
/// <item>import: <see cref="PosExportImporter"/> into a fresh embedded store — the targets (at least half the
/// parse-only rate; peak working set under 300 MB for a 1 GB export);</item>
/// <item>re-import: the same file uploaded again, which must count every sale as a duplicate.</item>
/// </list>
/// The gap between rows is what each layer costs.
/// </summary>
public static class ImportBenchmark
{
    /// <summary>The rate target: import rate over parse-only rate of the same file in the same run.</summary>
    public const double TargetRatio = 0.5;

    /// <summary>The memory target, peak working set in MB during the import of a <see cref="TargetMegabytes"/> export.</summary>
    public const double TargetPeakWorkingSetMb = 300;

    /// <summary>The absolute rate target of the import, rows per second (the 20 MB bench on this kind of machine).</summary>
    public const double TargetRowsPerSecond = 25_000;

    /// <summary>The rate target of a re-import (every row a duplicate), rows per second.</summary>
    public const double TargetReimportRowsPerSecond = 100_000;

    /// <summary>The store-size target: the embedded store at most this many times the export's size.</summary>
    public const double TargetStoreRatio = 4;

    /// <summary>The export size the memory target is stated for, in MB.</summary>
    public const int TargetMegabytes = 1024;

    private const string ExportName = "synthetic-pos-export.csv";
    private const int WarmupRows = 20_000;
    private const int FastPasses = 3;
    private const double Mb = 1024 * 1024;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs the benchmark and prints the table; 0 when every phase read the file as generated and the import was idempotent.</summary>
    public static async Task<int> RunAsync(ImportBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var root = options.DataDir ?? Path.Combine(Path.GetTempPath(), "cv-bench-import", Guid.NewGuid().ToString("N"));
        var temporary = options.DataDir is null;
        BenchEnvironment.WriteHeader(output, "import", options.Rows is { } requested ? string.Format(C, "{0:N0} rows", requested) : string.Format(C, "{0:N0} MB export", options.Megabytes));
        Run run;
        try
        {
            // A throwaway round on a small file first brings the process to its steady state (tiered JIT and PGO), as in a
            // server that has been up for a while; otherwise the first phase pays for it and the ratio flatters the import.
            var clock = Stopwatch.StartNew();
            var warmupDir = Path.Combine(root, "jit-warmup");
            await RunPhasesAsync(warmupDir, options, resume: false, reimports: 1, path => SyntheticPosExport.Write(path, WarmupRows, SyntheticPosExport.DefaultCustomers(WarmupRows), options.Seed + 1), TextWriter.Null, cancellationToken);
            BenchEnvironment.TryDeleteFolder(warmupDir);
            output.WriteLine(string.Format(C, "Warm-up: every phase on a {0:N0}-row export, {1:0.0} s.", WarmupRows, clock.Elapsed.TotalSeconds));

            var rows = options.Rows ?? SyntheticPosExport.EstimateRows(options.Megabytes * (long)Mb, options.Customers, options.Seed);
            var customers = options.Customers ?? SyntheticPosExport.DefaultCustomers(rows);
            run = await RunPhasesAsync(Path.Combine(root, "import"), options, options.Resume, options.Reimports, path => SyntheticPosExport.Write(path, rows, customers, options.Seed), output, cancellationToken);
        }
        finally
        {
            if (temporary)
            {
                BenchEnvironment.TryDeleteFolder(root);
            }
        }

        output.WriteLine();
        WriteTable(output, run);
        output.WriteLine();
        var problems = WriteChecks(output, run);
        output.WriteLine();
        return WriteTargets(output, options, run, problems);
    }

    /// <summary>Everything one round measured.</summary>
    private sealed record Run(
        SyntheticPosExportSummary Export, IReadOnlyList<Phase> Phases, PosImportReport? First, PosImportReport? Second,
        IReadOnlyDictionary<PosRowStatus, long> Mapped, SqliteStoreStatistics ImportStore, long Profiles, long Redirects,
        TimeSpan ProfileCount, long ProcessPeakWorkingSet, long StoreBytes, long LogBytesAfterImport, long LogBytesAtRest, PosImportReport? Interrupted)
    {
        /// <summary>Records the import read in this process (all of them, unless it resumed an interrupted one).</summary>
        public long ImportedHere => (First?.Read ?? 0) - (Interrupted?.RecordsDone ?? 0);

        public Phase Reimport => Phases[^1];

        /// <summary>The parse-only pass; null when a resumed run skipped the passes without a store.</summary>
        public Phase? Parse => Phases.Count > 2 ? Phases[0] : null;

        public Phase Import => Phases[^2];
    }

    /// <summary>One measured pass over the file.</summary>
    private sealed record Phase(string Name, long Records, long Bytes, TimeSpan Elapsed, TimeSpan Cpu, long Allocated, PeakMemory Memory, string Outcome)
    {
        public double PerSecond => Records / Elapsed.TotalSeconds;

        public double MegabytesPerSecond => Bytes / Mb / Elapsed.TotalSeconds;
    }

    private static async Task<Run> RunPhasesAsync(string dataDir, ImportBenchmarkOptions batches, bool resume, int reimports, Func<string, SyntheticPosExportSummary> generate, TextWriter output, CancellationToken cancellationToken)
    {
        if (Directory.Exists(dataDir) && !resume)
        {
            Directory.Delete(dataDir, recursive: true);
        }

        await using var host = await ImportHost.StartAsync(dataDir, batches, cancellationToken);
        var path = Path.Combine(host.Inbox, ExportName);
        var (export, interrupted) = resume ? await RegenerateAsync(host, path, generate, cancellationToken) : (generate(path), null);
        output.WriteLine(string.Format(C, "Export: {0}: {1:N1} MB, {2:N0} rows ({3:N0} identified, {4:N0} anonymous, {5:N0} returns, {6:N0} unreadable) from {7:N0} customers ({8:N0} of them named), generated in {9:0.0} s.",
            path, export.Bytes / Mb, export.Rows, export.Identified, export.Anonymous, export.Returns, export.Bad, export.Customers, export.CustomersSeen, export.Elapsed.TotalSeconds));
        output.Flush();

        var phases = new List<Phase>();
        async Task<Phase> MeasureOnceAsync(string name, Func<Task<(long Records, string Outcome)>> body)
        {
            // Each pass starts from a collected heap, so that garbage of the previous one is not counted against it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: false);
            using var sampler = PeakMemorySampler.Start();
            var started = Stopwatch.GetTimestamp();
            var (records, outcome) = await body();
            var elapsed = Stopwatch.GetElapsedTime(started);
            var memory = sampler.Stop();
            process.Refresh();
            return new Phase(name, records, export.Bytes, elapsed, process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: false) - allocated, memory, outcome);
        }

        async Task<Phase> MeasureAsync(string name, int passes, Func<Task<(long Records, string Outcome)>> body)
        {
            Phase? best = null;
            for (var pass = 0; pass < passes; pass++)
            {
                var phase = await MeasureOnceAsync(name, body);
                best = best is null || phase.Elapsed < best.Elapsed ? phase : best;
            }

            output.WriteLine(string.Format(C, "  {0}: {1:N0} records in {2:0.00} s = {3:N0}/s, {4:N1} MB/s, peak working set {5:N0} MB", best!.Name, best.Records, best.Elapsed.TotalSeconds, best.PerSecond, best.MegabytesPerSecond, best.Memory.WorkingSet / Mb));
            output.Flush();
            phases.Add(best);
            return best;
        }

        // The passes without a store take seconds even for a large file: the fastest of three is kept, which makes the
        // parse-only rate the target divides by as high (and the target as hard) as this machine allows.
        var mapped = new Dictionary<PosRowStatus, long>();
        if (interrupted is null)
        {
            await MeasureAsync(string.Format(C, "parse only  Sylvan, spans (best of {0})", FastPasses), FastPasses, () => ParseAsync(host.Exports, asStrings: false, cancellationToken));
            await MeasureAsync(string.Format(C, "parse only  Sylvan, strings (best of {0})", FastPasses), FastPasses, () => ParseAsync(host.Exports, asStrings: true, cancellationToken));
            await MeasureAsync(string.Format(C, "map only  PosExportReader (best of {0})", FastPasses), FastPasses, () =>
            {
                mapped.Clear();
                return MapAsync(host.Exports, mapped, cancellationToken);
            });
        }
        else
        {
            // The passes without a store were measured by the interrupted run; the import is what is left to measure.
            output.WriteLine(string.Format(C, "Resuming the interrupted import: {0:N0} of {1:N0} records done in {2} attempt(s) since {3:u}; the import's rate counts the rest.",
                interrupted.RecordsDone, export.Rows, interrupted.Attempts, interrupted.StartedAt));
            output.Flush();
        }

        PosImportReport? first = null, second = null;
        var before = host.Store.Statistics;
        await MeasureAsync("import  PosExportImporter", 1, async () =>
        {
            first = await host.Importer.ImportAsync(ExportName, cancellationToken);
            return ((first?.Read ?? 0) - (interrupted?.RecordsDone ?? 0), Describe(first));
        });
        var importStore = host.Store.Statistics.Since(before);
        var logBytes = LogBytes(host.Store.DatabasePath);
        var storeBytes = await StoreBytesAtRestAsync(host.Store.DatabasePath, cancellationToken);
        var logBytesAtRest = LogBytes(host.Store.DatabasePath);

        // A new upload of the same file (new version, so a new import rather than the finished one's report), as often
        // as asked: each pass's CPU is printed, the fastest pass is kept.
        await MeasureAsync(reimports == 1 ? "re-import  same file, new upload" : string.Format(C, "re-import  same file, new upload (best of {0})", reimports), reimports, async () =>
        {
            File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddMinutes(1));
            var started = Stopwatch.GetTimestamp();
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            second = await host.Importer.ImportAsync(ExportName, cancellationToken);
            self.Refresh();
            if (reimports > 1)
            {
                output.WriteLine(string.Format(C, "    re-import pass: {0:0.00} s, {1:0.00} CPU s", Stopwatch.GetElapsedTime(started).TotalSeconds, (self.TotalProcessorTime - cpu).TotalSeconds));
            }

            return (second?.Read ?? 0, Describe(second));
        });

        // Counted after the measurements: a full scan of the profiles is not part of an import.
        var counting = Stopwatch.StartNew();
        var (profiles, redirects) = await CountProfilesAsync(host.Store, cancellationToken);
        using var self = Process.GetCurrentProcess();
        return new Run(export, phases, first, second, mapped, importStore, profiles, redirects, counting.Elapsed, self.PeakWorkingSet64, storeBytes, logBytes, logBytesAtRest, interrupted);
    }

    /// <summary>
    /// For <c>--resume</c>: the export is generated again beside the kept one (same seed, so the same bytes) only to know
    /// what it holds, and the kept file stays untouched, because a new write would make it a new upload; the import's
    /// checkpoint says where the interrupted attempt stopped.
    /// </summary>
    private static async Task<(SyntheticPosExportSummary Export, PosImportReport Interrupted)> RegenerateAsync(ImportHost host, string path, Func<string, SyntheticPosExportSummary> generate, CancellationToken cancellationToken)
    {
        var kept = await host.Exports.GetInfoAsync(ExportName, cancellationToken)
            ?? throw new InvalidOperationException($"--resume: no export {path} to continue; run without --resume first.");
        var scratch = Path.Combine(Path.GetDirectoryName(host.Inbox)!, "regenerated-" + ExportName);
        SyntheticPosExportSummary export;
        try
        {
            export = generate(scratch);
        }
        finally
        {
            File.Delete(scratch);
        }

        if (export.Bytes != kept.Length)
        {
            throw new InvalidOperationException($"--resume: the kept export has {kept.Length:N0} bytes, but these options generate {export.Bytes:N0}; give the options of the interrupted run.");
        }

        var id = PosExportImporter.ReportId(kept);
        var report = (await host.Store.ReadAsync<PosImportReport>(ContainerNames.Imports, id, id, cancellationToken))?.Body;
        return report is { Status: PosImportStatus.Running }
            ? (export, report)
            : throw new InvalidOperationException($"--resume: the import of {path} is {(report is null ? "not started" : report.Status.ToString().ToLowerInvariant())}, not interrupted.");
    }

    /// <summary>The CSV library alone, with the options <see cref="PosExportReader"/> uses, over the same kind of stream.</summary>
    private static async Task<(long Records, string Outcome)> ParseAsync(IPosExportStorage exports, bool asStrings, CancellationToken cancellationToken)
    {
        await using var content = await exports.OpenReadAsync(ExportName, cancellationToken);
        using var text = new StreamReader(content, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var buffer = ArrayPool<char>.Shared.Rent(64 * 1024);
        try
        {
            var options = new CsvDataReaderOptions { Delimiter = ',', HasHeaders = true, OwnsReader = false, Comment = '\0', CsvStyle = CsvStyle.Lax };
            await using var csv = await CsvDataReader.CreateAsync(text, buffer, options, cancellationToken);
            long records = 0, characters = 0;
            while (await csv.ReadAsync(cancellationToken))
            {
                records++;

                // Every field is touched and its length summed (and printed), so no part of the work can be skipped.
                for (var i = 0; i < csv.RowFieldCount; i++)
                {
                    characters += asStrings ? csv.GetString(i).Length : csv.GetFieldSpan(i).Length;
                }
            }

            return (records, string.Format(C, "{0:N0} field characters", characters));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static async Task<(long Records, string Outcome)> MapAsync(IPosExportStorage exports, Dictionary<PosRowStatus, long> statuses, CancellationToken cancellationToken)
    {
        await using var content = await exports.OpenReadAsync(ExportName, cancellationToken);
        long records = 0;
        await foreach (var row in new PosExportReader().ReadAsync(content, PosLayouts.Generic, cancellationToken))
        {
            statuses[row.Status] = statuses.GetValueOrDefault(row.Status) + 1;
            records += row.Status == PosRowStatus.FileError ? 0 : 1;
        }

        return (records, string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => string.Format(C, "{0} {1:N0}", s.Key.ToString().ToLowerInvariant(), s.Value))));
    }

    /// <summary>
    /// The store's files on disk at rest: the write-ahead log, which reaches 64–180 MB while writes stream in, is first
    /// copied into the database and emptied, as when the server stops; then the database and what is left of the log.
    /// </summary>
    private static async Task<long> StoreBytesAtRestAsync(string databasePath, CancellationToken cancellationToken)
    {
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString()))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            // Answered "busy" (first column 1) while the store's own checkpointer is copying the log's last frames:
            // only one checkpoint runs at a time, so this one is tried again until it has emptied the log.
            for (var attempt = 0; attempt < 100; attempt++)
            {
                await using (var result = await command.ExecuteReaderAsync(cancellationToken))
                {
                    if (await result.ReadAsync(cancellationToken) && result.GetInt64(0) == 0)
                    {
                        break;
                    }
                }

                await Task.Delay(100, cancellationToken);
            }
        }

        return new FileInfo(databasePath).Length + LogBytes(databasePath);
    }

    private static long LogBytes(string databasePath) => File.Exists(databasePath + "-wal") ? new FileInfo(databasePath + "-wal").Length : 0;

    private static async Task<(long Profiles, long Redirects)> CountProfilesAsync(SqliteDocumentStore store, CancellationToken cancellationToken)
    {
        long profiles = 0, redirects = 0;
        await foreach (var document in store.ScanAsync<ProfileHead>(ContainerNames.Profiles, cancellationToken))
        {
            profiles++;
            redirects += document.Body.MergedInto is null ? 0 : 1;
        }

        return (profiles - redirects, redirects);
    }

    private static string Describe(PosImportReport? report) => report is null
        ? "no report (export not found)"
        : string.Format(C, "{0}: accepted {1:N0}, duplicates {2:N0}, anonymous {3:N0}, quarantined {4:N0}, skipped {5:N0}",
            report.Status.ToString().ToLowerInvariant(), report.Accepted, report.Duplicates, report.Anonymous, report.Quarantined, report.Skipped);

    private static void WriteTable(TextWriter output, Run run)
    {
        string[] header = ["phase", "records", "s", "records/s", "MB/s", "x parse", "CPU s", "alloc B/record", "WS MB start/peak", "peak anon/file MB", "peak heap MB", "outcome"];
        var rows = new List<string[]> { header };
        rows.AddRange(run.Phases.Select(p => new[]
        {
            p.Name,
            p.Records.ToString("N0", C),
            p.Elapsed.TotalSeconds.ToString("0.00", C),
            p.PerSecond.ToString("N0", C),
            p.MegabytesPerSecond.ToString("N1", C),
            run.Parse is { } parse ? (p.PerSecond / parse.PerSecond).ToString("0.000", C) : "n/a",
            p.Cpu.TotalSeconds.ToString("0.00", C),
            (p.Records == 0 ? 0 : (double)p.Allocated / p.Records).ToString("N0", C),
            string.Format(C, "{0:N0}/{1:N0}", p.Memory.StartWorkingSet / Mb, p.Memory.WorkingSet / Mb),
            p.Memory.Anonymous + p.Memory.FileBacked == 0 ? "n/a" : string.Format(C, "{0:N0}/{1:N0}", p.Memory.Anonymous / Mb, p.Memory.FileBacked / Mb),
            (p.Memory.ManagedHeap / Mb).ToString("N0", C),
            p.Outcome,
        }));
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c is 0 or 11 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }

    /// <summary>Prints what the import counted against what was generated; returns the problems found.</summary>
    private static List<string> WriteChecks(TextWriter output, Run run)
    {
        var problems = new List<string>();
        var export = run.Export;
        long Mapped(PosRowStatus status) => run.Mapped.GetValueOrDefault(status);
        if (run.Parse is not null && (Mapped(PosRowStatus.FileError) > 0 || Mapped(PosRowStatus.Imported) != export.Identified || Mapped(PosRowStatus.Anonymous) != export.Anonymous || Mapped(PosRowStatus.Quarantined) != export.Bad))
        {
            problems.Add("the map-only pass does not count the rows as they were generated");
        }

        if (run.First is not { } first)
        {
            problems.Add("the import returned no report");
            return Report(output, problems);
        }

        output.WriteLine(string.Format(C, "Import report ({0}): read {1:N0} = accepted {2:N0} + duplicates {3:N0} + anonymous {4:N0} + quarantined {5:N0} + skipped {6:N0}: {7}.",
            first.Status.ToString().ToLowerInvariant(), first.Read, first.Accepted, first.Duplicates, first.Anonymous, first.Quarantined, first.Skipped, first.Reconciles ? "reconciles" : "DOES NOT RECONCILE"));
        var matches = first.Read == export.Rows && first.Accepted + first.Duplicates == export.Identified && first.Anonymous == export.Anonymous && first.Quarantined == export.Bad && first.Skipped == 0;
        output.WriteLine(string.Format(C, "  The file as generated: {0:N0} rows, {1:N0} identified, {2:N0} anonymous, {3:N0} unreadable: {4}.",
            export.Rows, export.Identified, export.Anonymous, export.Bad, matches ? "matches" : "DOES NOT MATCH"));
        // More profiles than customers is expected: a customer who never gives two of their identifiers on one receipt
        // (the account at one visit, only the e-mail at another) cannot be recognised as one person.
        output.WriteLine(string.Format(C, "  Profiles: {0:N0} (and {1:N0} merged into others) for {2:N0} customers named in the file; counted in {3:0.0} s after the measurements.",
            run.Profiles, run.Redirects, export.CustomersSeen, run.ProfileCount.TotalSeconds));
        var s = run.ImportStore;
        double Per(long n) => run.ImportedHere <= 0 ? 0 : (double)n / run.ImportedHere;
        output.WriteLine(string.Format(C, "  Store operations per record: {5:0.00} in all: reads {0:0.00} ({1:0.00} found nothing), writes {2:0.00} ({3}), commits {4:0.000}.",
            Per(s.Reads), Per(s.ReadMisses), Per(s.Writes),
            string.Join(", ", s.WritesByContainer.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Select(p => string.Format(C, "{0} {1:0.00}", p.Key, Per(p.Value)))),
            Per(s.Transactions), Per(s.Reads + s.Writes + s.Queries)));
        output.WriteLine(string.Format(C, "  Checkpoints beside the writer: {0:N0}; the largest log one found: {1:N1} MB; the log at the end of the import: {2:N1} MB (counted below only after it was copied into the database).",
            s.Checkpoints, s.LargestLogPages * 4096 / Mb, run.LogBytesAfterImport / Mb));
        output.WriteLine(string.Format(C, "  Store size after the import, at rest: {0:N1} MB (database and write-ahead log) = {1:N0} bytes per row = {2:0.00} x the export's {3:N1} MB.",
            run.StoreBytes / Mb, (double)run.StoreBytes / Math.Max(1, first.Read), (double)run.StoreBytes / run.Export.Bytes, run.Export.Bytes / Mb));
        if (run.LogBytesAtRest > 0)
        {
            // The log could not be emptied (a reader or the store's checkpointer held it for 10 s): the size above counts it.
            output.WriteLine(string.Format(C, "  NOTE: the write-ahead log could not be emptied; {0:N1} MB of it are counted in the size above.", run.LogBytesAtRest / Mb));
        }
        var memory = run.Import.Memory;
        output.WriteLine(string.Format(C, "  Peak memory during the import ({0:N0} samples every {1:0} ms): working set {2:N0} MB (it was {3:N0} MB when the import started){4}; managed heap {5:N0} MB, GC committed {6:N0} MB. Whole process, generation and warm-up included: {7:N0} MB.",
            memory.Samples, PeakMemorySampler.Interval.TotalMilliseconds, memory.WorkingSet / Mb, memory.StartWorkingSet / Mb,
            memory.Anonymous + memory.FileBacked == 0 ? string.Empty : string.Format(C, "; of which at most {0:N0} MB anonymous (heaps, native allocations) and {1:N0} MB file pages (code, the memory-mapped database)", memory.Anonymous / Mb, memory.FileBacked / Mb),
            memory.ManagedHeap / Mb, memory.GcCommitted / Mb, run.ProcessPeakWorkingSet / Mb));
        if (first.Status != PosImportStatus.Completed)
        {
            problems.Add($"the import ended {first.Status}: {first.Error}");
        }

        if (!first.Reconciles)
        {
            problems.Add("the import's counts do not reconcile");
        }

        if (!matches)
        {
            problems.Add("the import's counts differ from the file as generated");
        }

        var second = run.Second;
        var idempotent = second is { Status: PosImportStatus.Completed, Accepted: 0 }
            && second.Read == first.Read && second.Duplicates == first.Accepted + first.Duplicates
            && second.Anonymous == first.Anonymous && second.Quarantined == first.Quarantined && second.Skipped == first.Skipped;
        output.WriteLine(string.Format(C, "Re-import of the same file as a new upload: {0} at {1:N0} records/s: {2}.",
            Describe(second), run.Reimport.PerSecond, idempotent ? "idempotent (every identified row a duplicate)" : "NOT IDEMPOTENT"));
        if (!idempotent)
        {
            problems.Add("the re-import did not count every identified row as a duplicate");
        }

        return Report(output, problems);
    }

    private static List<string> Report(TextWriter output, List<string> problems)
    {
        foreach (var problem in problems)
        {
            output.WriteLine("PROBLEM: " + problem + ".");
        }

        return problems;
    }

    private static int WriteTargets(TextWriter output, ImportBenchmarkOptions options, Run run, List<string> problems)
    {
        var import = run.Import;
        if (run.Parse is { } parse)
        {
            var ratio = import.PerSecond / parse.PerSecond;
            output.WriteLine(string.Format(C, "Target (rate, same run): import >= {0:0.00} x the parse-only rate: {1} ({2:N0} records/s = {3:0.000} x {4:N0} records/s).",
                TargetRatio, ratio >= TargetRatio ? "met" : "MISSED", import.PerSecond, ratio, parse.PerSecond));
        }

        output.WriteLine(string.Format(C, "Target (rate, absolute): import >= {0:N0} rows/s: {1} ({2:N0} rows/s).",
            TargetRowsPerSecond, import.PerSecond >= TargetRowsPerSecond ? "met" : "MISSED", import.PerSecond));
        output.WriteLine(string.Format(C, "Target (re-import, every row a duplicate): >= {0:N0} rows/s: {1} ({2:N0} rows/s).",
            TargetReimportRowsPerSecond, run.Reimport.PerSecond >= TargetReimportRowsPerSecond ? "met" : "MISSED", run.Reimport.PerSecond));
        var storeRatio = (double)run.StoreBytes / run.Export.Bytes;
        output.WriteLine(string.Format(C, "Target (store size): embedded store <= {0:0} x the export: {1} ({2:0.00} x).",
            TargetStoreRatio, storeRatio <= TargetStoreRatio ? "met" : "MISSED", storeRatio));
        var peak = import.Memory.WorkingSet / Mb;
        var size = run.Export.Bytes / Mb;
        output.WriteLine(string.Format(C, "Target (memory, stated for a {0:N0} MB export: --megabytes {0}): peak working set during the import < {1:N0} MB: {2} ({3:N0} MB with this {4:N1} MB export{5}).",
            TargetMegabytes, TargetPeakWorkingSetMb, peak < TargetPeakWorkingSetMb ? "met" : "MISSED", peak, size,
            size < TargetMegabytes * 0.95 ? "; run with --megabytes 1024 to measure the target" : string.Empty));
        output.WriteLine("Command: " + options.CommandLine);
        output.Flush();
        return problems.Count == 0 ? 0 : 1;
    }



    /// <summary>The one field of a stored profile the count needs (the rest of the document is skipped, not bound).</summary>
    private sealed record ProfileHead(string? MergedInto);

    /// <summary>
    /// The importer as the server composes it (<see cref="ServiceRegistration.AddCustomerValue"/>), without the web host:
    /// a fresh embedded store and a folder inbox under <c>dataDir</c>, local mode off so no watcher imports the file first.
    /// </summary>
    private sealed class ImportHost : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private ImportHost(ServiceProvider services, string inbox)
        {
            _services = services;
            Inbox = inbox;
            Store = services.GetRequiredKeyedService<IDocumentStore>(ServiceRegistration.StoreBackendKey) as SqliteDocumentStore
                ?? throw new InvalidOperationException("The benchmark measures the embedded store, but another one is configured.");
            Exports = services.GetRequiredService<IPosExportStorage>();
            Importer = services.GetRequiredService<PosExportImporter>();
        }

        public string Inbox { get; }

        public SqliteDocumentStore Store { get; }

        public IPosExportStorage Exports { get; }

        public PosExportImporter Importer { get; }

        public static async Task<ImportHost> StartAsync(string dataDir, ImportBenchmarkOptions batches, CancellationToken cancellationToken)
        {
            // Settings from here only: a CosmosDb or PosExportStorage variable in the environment must not swap the store.
            var values = new Dictionary<string, string?>
            {
                ["LocalMode:Enabled"] = "false",
                ["Identity:DefaultRegion"] = "US",
                // Every --resume is one more attempt of the same upload: a long run resumed often must not be given up.
                ["PosExports:MaxAttempts"] = PosExportSettings.MaxMaxAttempts.ToString(CultureInfo.InvariantCulture),
            };
            if (batches.BatchRecords is { } batch)
            {
                values["PosExports:BatchRecords"] = batch.ToString(CultureInfo.InvariantCulture);
            }

            if (batches.BatchPeople is { } people)
            {
                values["PosExports:BatchPeople"] = people.ToString(CultureInfo.InvariantCulture);
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            var settings = ServerSettings.From(configuration, dataDir);
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(console => console.SingleLine = true));
            services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            services.AddCustomerValue(configuration, settings);
            var provider = services.BuildServiceProvider();
            var host = new ImportHost(provider, settings.InboxFolder);
            await host.Store.InitializeAsync(cancellationToken);
            Directory.CreateDirectory(host.Inbox);
            return host;
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
