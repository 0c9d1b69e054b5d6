using System.Globalization;
using System.Text.RegularExpressions;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>What one thread of a wrk run sent and got back, as <c>webhooks.lua</c> counted it.</summary>
/// <param name="Thread">The thread, from 0.</param>
/// <param name="Sent">Requests written (the last few may be unanswered when the run ended).</param>
/// <param name="Accepted">200 answers that applied the webhook.</param>
/// <param name="Duplicates">200 answers that recognized a delivery already seen.</param>
/// <param name="Rounds">Times the thread started its share of requests over (every request after that repeats one).</param>
/// <param name="Other">Any other answer, by status.</param>
public sealed record WrkThreadCounts(int Thread, long Sent, long Accepted, long Duplicates, long Rounds, IReadOnlyDictionary<int, long> Other)
{
    /// <summary>Answers received.</summary>
    public long Answered => Accepted + Duplicates + Other.Values.Sum();
}

/// <summary>One wrk run, read from the <c>bench-wrk</c> lines <c>webhooks.lua</c> prints at its end.</summary>
/// <param name="Requests">Answered requests.</param>
/// <param name="Duration">How long the run lasted.</param>
/// <param name="Latency">Milliseconds at the 50th, 90th, 99th and 99.9th percentiles and the maximum (wrk's histogram).</param>
/// <param name="SocketErrors">wrk's connect, read, write and timeout errors, added up.</param>
/// <param name="Threads">Each thread's counts.</param>
/// <param name="Report">wrk's own report (the <c>--latency</c> table), without the script's lines.</param>
public sealed partial record WrkResult(long Requests, TimeSpan Duration, WrkLatency Latency, long SocketErrors, IReadOnlyList<WrkThreadCounts> Threads, string Report)
{
    /// <summary>Answered requests per second.</summary>
    public double PerSecond => Requests / Duration.TotalSeconds;

    /// <summary>Answers other than 200, by status, over all threads.</summary>
    public IReadOnlyDictionary<int, long> Non200 => Threads.SelectMany(t => t.Other).GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Sum(o => o.Value));

    /// <summary>Reads wrk's output; throws when the script's lines are missing (wrk failed or ran another script).</summary>
    public static WrkResult Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var summary = SummaryLine().Match(output);
        if (!summary.Success)
        {
            throw new FormatException("wrk printed no summary line of webhooks.lua: " + output);
        }

        double Field(string name) => double.Parse(summary.Groups[name].Value, CultureInfo.InvariantCulture);
        double Milliseconds(string name) => Field(name) / 1000;
        var threads = ThreadLine().Matches(output).Select(m => new WrkThreadCounts(
            int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups["sent"].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups["accepted"].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups["duplicates"].Value, CultureInfo.InvariantCulture),
            long.Parse(m.Groups["rounds"].Value, CultureInfo.InvariantCulture),
            m.Groups["other"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "-").Select(p => p.Split('='))
                .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => long.Parse(p[1], CultureInfo.InvariantCulture)))).ToList();
        var report = string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("bench-wrk ", StringComparison.Ordinal))).TrimEnd();
        return new WrkResult(
            (long)Field("requests"),
            TimeSpan.FromMicroseconds(Field("duration")),
            new WrkLatency(Milliseconds("p50"), Milliseconds("p90"), Milliseconds("p99"), Milliseconds("p999"), Milliseconds("max")),
            (long)(Field("connect") + Field("read") + Field("write") + Field("timeout")),
            threads,
            report);
    }

    [GeneratedRegex(@"^bench-wrk summary requests (?<requests>\d+) duration_us (?<duration>\d+) p50_us (?<p50>\d+) p90_us (?<p90>\d+) p99_us (?<p99>\d+) p999_us (?<p999>\d+) max_us (?<max>\d+) connect (?<connect>\d+) read (?<read>\d+) write (?<write>\d+) timeout (?<timeout>\d+) status \d+\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^bench-wrk thread (?<id>\d+) sent (?<sent>\d+) accepted (?<accepted>\d+) duplicates (?<duplicates>\d+) rounds (?<rounds>\d+) other (?<other>\S+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ThreadLine();
}

/// <summary>Latency percentiles of a wrk run, in milliseconds.</summary>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Slowest request.</param>
public sealed record WrkLatency(double P50, double P90, double P99, double P999, double Max);
