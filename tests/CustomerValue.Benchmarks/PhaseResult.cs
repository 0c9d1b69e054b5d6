using System.Globalization;
using CustomerValue.Storage.Embedded;

namespace CustomerValue.Benchmarks;

/// <summary>The figures of one benchmark phase.</summary>
internal sealed record PhaseResult(
    string Name,
    int Count,
    TimeSpan Elapsed,
    double[] LatenciesMs,
    long[] CompletionTicks,
    IReadOnlyDictionary<string, int> Statuses,
    SqliteStoreStatistics Store,
    double CpuMicrosecondsPerItem,
    double AllocatedKbPerItem,
    (int Gen0, int Gen1, int Gen2) Collections,
    double PeakWorkingSetMb)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private double[]? _sorted;

    public double PerSecond => Count / Elapsed.TotalSeconds;

    /// <summary>Requests that did not end in a 200 (accepted or duplicate) or an applied record.</summary>
    public int Failures => Statuses.Where(s => !s.Key.StartsWith("200", StringComparison.Ordinal) && s.Key is not ("changed" or "unchanged")).Sum(s => s.Value);

    public double Percentile(double p)
    {
        _sorted ??= [.. LatenciesMs.Order()];
        return _sorted.Length == 0 ? double.NaN : _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>The slowest whole second of the run: "sustained" means this, not only the average.</summary>
    public double WorstSecond()
    {
        var perSecond = new Dictionary<long, int>();
        foreach (var ticks in CompletionTicks)
        {
            var second = ticks / System.Diagnostics.Stopwatch.Frequency;
            perSecond[second] = perSecond.GetValueOrDefault(second) + 1;
        }

        var full = (long)Math.Floor(Elapsed.TotalSeconds);
        return full < 1 ? double.NaN : Enumerable.Range(0, (int)full).Min(s => perSecond.GetValueOrDefault(s));
    }

    public static void WriteTable(TextWriter output, IReadOnlyList<PhaseResult> results)
    {
        string[] header = ["phase", "items", "per s", "worst 1 s", "p50 ms", "p95 ms", "p99 ms", "max ms", "store ops/item", "CPU us/item", "alloc KB/item", "GC 0/1/2", "peak WS MB", "outcomes"];
        var rows = new List<string[]> { header };
        rows.AddRange(results.Select(r => new[]
        {
            r.Name,
            r.Count.ToString("N0", C),
            r.PerSecond.ToString("N0", C),
            r.WorstSecond().ToString("N0", C),
            r.Percentile(0.50).ToString("0.0", C),
            r.Percentile(0.95).ToString("0.0", C),
            r.Percentile(0.99).ToString("0.0", C),
            r.Percentile(1.0).ToString("0.0", C),
            string.Format(C, "{0:0.0} r + {1:0.0} w", (double)r.Store.Reads / r.Count, (double)(r.Store.Writes + r.Store.Deletes) / r.Count),
            r.CpuMicrosecondsPerItem.ToString("N0", C),
            r.AllocatedKbPerItem.ToString("N0", C),
            string.Format(C, "{0}/{1}/{2}", r.Collections.Gen0, r.Collections.Gen1, r.Collections.Gen2),
            r.PeakWorkingSetMb.ToString("N0", C),
            string.Join(", ", r.Statuses.OrderByDescending(s => s.Value).Select(s => string.Format(C, "{0} {1:N0}", s.Key, s.Value))),
        }));
        var widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c is 0 or 13 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }
    }

    public static void WriteStoreOperations(TextWriter output, IReadOnlyList<PhaseResult> results)
    {
        output.WriteLine("Store operations per item (embedded SQLite store):");
        foreach (var r in results)
        {
            var s = r.Store;
            double Per(long n) => (double)n / r.Count;
            var reads = string.Join(", ", s.ReadsByContainer.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Select(p => string.Format(C, "{0} {1:0.00}", p.Key, Per(p.Value))));
            var writes = string.Join(", ", s.WritesByContainer.Where(p => p.Value > 0).OrderByDescending(p => p.Value).Select(p => string.Format(C, "{0} {1:0.00}", p.Key, Per(p.Value))));
            output.WriteLine(string.Format(C, "  {0}: reads {1:0.00} ({2}; {3:0.00} found nothing), writes {4:0.00} ({5}), refused writes {6:0.000}, deletes {7:0.000}, commits {8:0.00}",
                r.Name, Per(s.Reads), reads, Per(s.ReadMisses), Per(s.Writes), writes, Per(s.FailedWrites), Per(s.Deletes), Per(s.Transactions)));
        }
    }
}
