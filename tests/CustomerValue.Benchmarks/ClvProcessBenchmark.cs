using System.Diagnostics;
using System.Globalization;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Benchmarks;

/// <summary>
/// Times <c>clv predict</c> as an analyst runs it: a fresh process per run (start-up, JIT, reading the CSV, both fits,
/// scoring, writing), on the simulated customers written as a summary file in weeks. The same runs give the BG/NBD
/// fit on its first call in a fresh process (the <c>--timings</c> phase), which no in-process warm-up can show.
/// </summary>
internal static class ClvProcessBenchmark
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Wall times of the whole process and of its cold BG/NBD fit, one pair per repetition.</summary>
    public static (double[] Process, double[] ColdFit) Run(SummaryRow[] rows, int repetitions, string? cli, CancellationToken cancellationToken)
    {
        string folder = Directory.CreateTempSubdirectory("clv-bench-").FullName;
        try
        {
            string input = Path.Combine(folder, "customers-weeks.csv");
            WriteWeeks(rows, input);
            var process = new double[repetitions];
            var fit = new double[repetitions];
            for (int i = 0; i < repetitions; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (process[i], fit[i]) = RunOnce(cli ?? Path.Combine(AppContext.BaseDirectory, "CustomerValue.Cli.dll"), input, Path.Combine(folder, "predictions.csv"));
            }

            return (process, fit);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes id,frequency,recency,T,monetary_value with times in weeks (days / 7, two decimals).</summary>
    private static void WriteWeeks(SummaryRow[] rows, string path)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("id,frequency,recency,T,monetary_value");
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            writer.WriteLine(string.Format(C, "{0},{1},{2:0.##},{3:0.##},{4:0.00}", i + 1, r.Frequency, r.Recency / 7, r.T / 7, r.MonetaryValue));
        }
    }

    private static (double Process, double ColdFit) RunOnce(string cli, string input, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { cli, "clv", "predict", "--input", input, "--time-unit", "weeks", "--out", output, "--timings" })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stderr = child.StandardError.ReadToEndAsync();
        child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        string log = stderr.Result;
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"clv predict exited {child.ExitCode}: {log}");
        }

        // "timing: fit bgnbd 0.123 s (cpu 0.200 s)"
        var line = log.Split('\n').FirstOrDefault(l => l.StartsWith("timing: fit bgnbd ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"clv predict printed no BG/NBD timing: {log}");
        double fit = double.Parse(line["timing: fit bgnbd ".Length..].Split(' ')[0], C);
        return (wall, fit);
    }
}
