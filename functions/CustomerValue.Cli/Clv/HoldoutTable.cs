using System.Globalization;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Validation;

namespace CustomerValue.Cli.Clv;

/// <summary>Prints holdout reports side by side as a text table.</summary>
internal static class HoldoutTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Writes the table of <paramref name="reports"/> (all on the same customers) to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, string path, DateTime calibrationEnd, DateTime holdoutEnd, TimeUnit unit, IReadOnlyList<(string Name, HoldoutReport Report)> reports)
    {
        var first = reports[0].Report;
        output.WriteLine(string.Format(
            C,
            "Holdout check of {0}: calibration to {1:yyyy-MM-dd}, holdout {2:yyyy-MM-dd} to {3:yyyy-MM-dd} ({4:0.##} {5}), {6:N0} customers.",
            path, calibrationEnd, calibrationEnd.AddDays(1), holdoutEnd, first.HoldoutLength, ClvInputOptions.NameOf(unit), first.Customers));
        foreach (var (name, report) in reports)
        {
            output.WriteLine($"  {name}: {Describe(report.Model)}");
        }

        output.WriteLine("Mean repeat purchases per customer in the holdout, by repeat purchases in the calibration period (x):");
        output.WriteLine();
        var header = new List<string> { "x", "customers", "actual" };
        header.AddRange(reports.Select(r => r.Name));
        var rows = new List<List<string>> { header };
        for (int i = 0; i < first.Rows.Count; i++)
        {
            var row = first.Rows[i];
            var cells = new List<string> { row.Label, row.Customers.ToString("N0", C), Mean(row.ActualMean) };
            cells.AddRange(reports.Select(r => Mean(r.Report.Rows[i].PredictedMean)));
            rows.Add(cells);
        }

        var total = new List<string> { "total", first.Customers.ToString("N0", C), first.ActualTotal.ToString("N0", C) };
        total.AddRange(reports.Select(r => r.Report.PredictedTotal.ToString("N0", C)));
        rows.Add(total);
        var widths = Enumerable.Range(0, header.Count).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var cells in rows)
        {
            output.WriteLine(string.Join("  ", cells.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("The total row sums holdout repeat purchases (actual) and expected ones (models) over all customers.");
    }

    private static string Mean(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", C);

    private static string Describe(object model) => model switch
    {
        BgNbdFit f => string.Format(C, "r={0:0.####}, alpha={1:0.####}, a={2:0.####}, b={3:0.####}, LL={4:0.###}, {5}", f.Parameters.R, f.Parameters.Alpha, f.Parameters.A, f.Parameters.B, f.LogLikelihood, Status(f)),
        ParetoNbdFit f => string.Format(C, "r={0:0.####}, alpha={1:0.####}, s={2:0.####}, beta={3:0.####}, LL={4:0.###}, {5}", f.Parameters.R, f.Parameters.Alpha, f.Parameters.S, f.Parameters.Beta, f.LogLikelihood, Status(f)),
        _ => model.ToString() ?? string.Empty,
    };

    private static string Status(ModelFit fit) => fit.Status.ToString();
}
