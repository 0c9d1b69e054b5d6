using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

using CustomerValue.Cli;
using CustomerValue.Cli.Clv;

namespace CustomerValue.Benchmarks;

/// <summary>Runs the <c>bench</c> tasks and prints wall times (median of the repetitions) and peak memory against the targets.</summary>
internal sealed class BenchRunner(BenchSettings settings, TextWriter output, CancellationToken cancellationToken)
{
    private const double BgNbdFitTarget = 0.5;
    private const double ScoringTarget = 1.0;
    private const double ParetoNbdTarget = 0.1;
    private const double MemoryTargetMb = 300;
    private const double PredictProcessTarget = 2.0;
    private const double ColdFitTarget = 0.3;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private readonly List<string[]> _rows = [];
    private bool _missed;

    public int Run()
    {
        WriteEnvironment();
        var clock = Stopwatch.StartNew();
        var rows = CustomerBaseSimulator.SimulateSummaries(settings.Customers, settings.Days, GenerativeParameters.ShopInDays, new Random(settings.Seed));
        double simulateSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Format(C, "Simulated {0:N0} customers over {1} days in {2:0.00} s (seed {3}); {4:N0} repeat buyers.", rows.Length, settings.Days, simulateSeconds, settings.Seed, rows.Count(r => r.Frequency > 0)));

        // Warm-up on a slice: JIT and thread pool, so the timed runs measure the steady state.
        var warmup = rows.AsSpan(0, Math.Min(rows.Length, 20_000)).ToArray();
        var warmFit = BgNbdModel.Fit(warmup);
        var warmSpend = GammaGammaModel.Fit(warmup);
        var valuation = new ValuationOptions { HorizonMonths = 12, MonthlyDiscountRate = 0.01, GrossMargin = 1, TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Days) };
        CustomerValuation.Score(warmFit, warmSpend.Parameters, warmup, valuation);

        BgNbdFit? fit = null;
        var fitTimes = Time(() => fit = BgNbdModel.Fit(rows));
        Add($"BG/NBD fit, {rows.Length:N0} customers", BgNbdFitTarget, fitTimes,
            string.Format(C, "{0:N0} unique rows, {1} iterations, {2}", fit!.UniqueRows, fit.Iterations, fit.Status));

        clock.Restart();
        var spend = GammaGammaModel.Fit(rows);
        double spendSeconds = clock.Elapsed.TotalSeconds;

        CustomerScore[]? scores = null;
        var scoreTimes = Time(() => scores = CustomerValuation.Score(fit, spend.Parameters, rows, valuation));
        Add($"Scoring {rows.Length:N0} customers", ScoringTarget, scoreTimes,
            string.Format(C, "12-month E[purchases], P(alive), CLV; total CLV {0:N0}", scores!.Sum(s => s.PredictedClv)));

        var (predictTimes, coldFit) = ClvProcessBenchmark.Run(rows, settings.Repetitions, settings.ClvCli, cancellationToken);
        Add($"clv predict, {rows.Length:N0} customers (whole process)", PredictProcessTarget, predictTimes,
            "fresh process: read CSV in weeks, BG/NBD + Gamma-Gamma fits, scoring, write CSV");
        Add($"BG/NBD fit, {rows.Length:N0} customers, cold", ColdFitTarget, coldFit, "first call in a fresh process (clv predict --timings)");

        if (settings.CdnowPath is not null)
        {
            var (cdnow, _) = SummaryCsvReader.Read(settings.CdnowPath);
            ParetoNbdModel.Fit(cdnow);
            ParetoNbdFit? pareto = null;
            var paretoTimes = Time(() => pareto = ParetoNbdModel.Fit(cdnow));
            Add($"Pareto/NBD fit, CDNOW {cdnow.Count:N0} customers", ParetoNbdTarget, paretoTimes,
                string.Format(C, "{0} iterations, {1}; r={2:0.####} alpha={3:0.###} s={4:0.####} beta={5:0.###}", pareto!.Iterations, pareto.Status, pareto.Parameters.R, pareto.Parameters.Alpha, pareto.Parameters.S, pareto.Parameters.Beta));
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        double peakMb = process.PeakWorkingSet64 / 1048576.0;
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        bool memoryOk = peakMb < MemoryTargetMb;
        _missed |= !memoryOk;
        _rows.Add(["Peak working set (whole process)", string.Format(C, "< {0} MB", MemoryTargetMb), string.Format(C, "{0:0} MB", peakMb), "", memoryOk ? "ok" : "MISSED",
            string.Format(C, "GC heap {0:0} MB, committed {1:0} MB, allocated {2:N0} MB in total", gc.HeapSizeBytes / 1048576.0, gc.TotalCommittedBytes / 1048576.0, GC.GetTotalAllocatedBytes() / 1048576.0)]);
        GC.KeepAlive(scores);
        GC.KeepAlive(rows);

        output.WriteLine(string.Format(C, "Gamma-Gamma fit on the repeat buyers: {0:0.000} s ({1}).", spendSeconds, spend.Status));
        output.WriteLine();
        WriteTable();
        output.WriteLine();
        output.WriteLine(_missed ? "Some targets were missed (see MISSED); timings on a loaded or Debug machine vary." : "All targets met.");
        return CliExitCodes.Success;
    }

    private void WriteEnvironment()
    {
        bool debug = typeof(BenchRunner).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;
        output.WriteLine(string.Format(
            C,
            "bench: {0} build, .NET {1}, {2} logical processors, {3} GC{4}, {5} repetition(s) per task (median reported, after a warm-up).",
            debug ? "Debug" : "Release", Environment.Version, Environment.ProcessorCount, GCSettings.IsServerGC ? "server" : "workstation",
            GCSettings.IsServerGC ? string.Empty : (AppContext.GetData("System.GC.Concurrent") is false ? " (non-concurrent)" : " (concurrent)"), settings.Repetitions));
        if (debug)
        {
            output.WriteLine("warning: this is a Debug build; the targets are for Release: dotnet run -c Release --project tests/CustomerValue.Benchmarks");
        }
    }

    private double[] Time(Action action)
    {
        var times = new double[settings.Repetitions];
        for (int i = 0; i < times.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalSeconds;
        }

        return times;
    }

    private void Add(string task, double targetSeconds, double[] times, string detail)
    {
        var sorted = times.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
        bool ok = median <= targetSeconds;
        _missed |= !ok;
        _rows.Add([task, string.Format(C, "<= {0} s", targetSeconds), string.Format(C, "{0:0.000} s", median),
            string.Format(C, "{0:0.000}-{1:0.000} s", sorted[0], sorted[^1]), ok ? "ok" : "MISSED", detail]);
    }

    private void WriteTable()
    {
        string[] header = ["task", "target", "median", "range", "result", "details"];
        var all = new List<string[]> { header };
        all.AddRange(_rows);
        var widths = Enumerable.Range(0, header.Length).Select(c => all.Max(r => r[c].Length)).ToArray();
        foreach (var row in all)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c is 2 or 3 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        }
    }
}
