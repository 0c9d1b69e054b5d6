using System.Globalization;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>Turns an input file of any supported layout into validated customer summaries.</summary>
internal static class ClvInputLoader
{
    /// <summary>
    /// Loads <paramref name="path"/>. Transactions are summarised at <paramref name="calibrationEnd"/> (default: the
    /// latest transaction date in the file) in <paramref name="unit"/>; a summary file is taken as being in
    /// <paramref name="unit"/> already.
    /// </summary>
    /// <exception cref="CliInputException">The file is missing, unreadable or breaks an input rule.</exception>
    public static ClvInput Load(string path, string format, TimeUnit unit, DateTime? calibrationEnd)
    {
        string layout = InputSniffer.Resolve(path, format);
        if (layout == ClvInputFormat.Summary)
        {
            var (summaries, hasMonetary) = SummaryCsvReader.Read(path);
            var warnings = calibrationEnd is null
                ? []
                : new List<string> { "--calibration-end is ignored for a summary file (its recency and T are already measured to a calibration end)." };
            return new ClvInput(path, layout, unit, summaries, hasMonetary, null, null, null, warnings);
        }

        var file = TransactionFileReader.Read(path, layout);
        var end = (calibrationEnd ?? file.LastDate!.Value).Date;
        var result = TransactionSummarizer.Summarize(file.Transactions, end, unit);
        if (result.Summaries.Count == 0)
        {
            throw new CliInputException(string.Format(
                CultureInfo.InvariantCulture,
                "'{0}': no customer has a purchase on or before the calibration end {1:yyyy-MM-dd} (transactions run from {2:yyyy-MM-dd} to {3:yyyy-MM-dd}).",
                path, end, file.Transactions.Min(t => t.Date), file.LastDate));
        }

        var notes = result.Issues
            .Select(i => $"line {file.LineOf(i.Row)}" + (i.CustomerId is null ? string.Empty : $" (customer '{i.CustomerId}')") + $": {i.Message}")
            .ToList();
        return new ClvInput(path, layout, unit, result.Summaries, true, end, file.Transactions.Count, result.TransactionsAfterCalibrationEnd, notes);
    }

    /// <summary>Writes the loader's warnings to stderr.</summary>
    public static void WriteWarnings(ClvInput input, TextWriter error)
    {
        foreach (string warning in input.Warnings.Take(CliInputException.MaxListed))
        {
            error.WriteLine($"warning: {warning}");
        }

        if (input.Warnings.Count > CliInputException.MaxListed)
        {
            error.WriteLine($"warning: ... and {input.Warnings.Count - CliInputException.MaxListed} more");
        }
    }
}
