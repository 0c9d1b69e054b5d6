using System.Globalization;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Reads a summary CSV: <c>id</c> (or <c>customer_id</c>), <c>frequency</c> (or <c>x</c>), <c>recency</c> (or
/// <c>t_x</c>), <c>T</c>, optional <c>monetary_value</c> (or <c>zbar</c>); names case-insensitive, other columns
/// ignored. Checks the model rules (<see cref="SummaryValidator"/>) and reports every problem with its row and line.
/// Plain files take <see cref="PlainSummaryCsv"/>'s parallel path; the rest, and every file with a problem, Sylvan's.
/// </summary>
internal static class SummaryCsvReader
{
    /// <summary>Summaries of <paramref name="path"/> and whether it has a monetary-value column.</summary>
    /// <exception cref="CliInputException">A column is missing, a value is not a number, or a row breaks a model rule.</exception>
    public static (CustomerTable Summaries, bool HasMonetaryValue) Read(string path)
    {
        InputSniffer.EnsureExists(path);
        return PlainSummaryCsv.TryRead(path) ?? ReadWithSylvan(path);
    }

    private static (CustomerTable Summaries, bool HasMonetaryValue) ReadWithSylvan(string path)
    {
        using var csv = CsvColumns.Open(path);
        int id = CsvColumns.Find(csv, CsvColumns.Id);
        int x = CsvColumns.Find(csv, CsvColumns.Frequency);
        int tx = CsvColumns.Find(csv, CsvColumns.Recency);
        int t = CsvColumns.Find(csv, CsvColumns.Age);
        int m = CsvColumns.Find(csv, CsvColumns.MonetaryValue);
        var missing = new List<string>();
        if (x < 0)
        {
            missing.Add("frequency (or x)");
        }

        if (tx < 0)
        {
            missing.Add("recency (or t_x)");
        }

        if (t < 0)
        {
            missing.Add("T");
        }

        if (missing.Count > 0)
        {
            throw new CliInputException(
                $"'{path}' is not a summary CSV: column(s) {string.Join(", ", missing)} missing; columns found: {CsvColumns.Names(csv)}. "
                + "Expected id,frequency,recency,T[,monetary_value] (or ID,x,t_x,T[,zbar]).");
        }

        var summaries = new List<CustomerSummary>();
        var lines = new List<int>();
        var problems = new List<string>();
        foreach (var line in CsvColumns.Records(csv))
        {
            int row = summaries.Count + 1;
            string customer = id >= 0 ? CsvColumns.Field(csv, id) : row.ToString(CultureInfo.InvariantCulture);
            double frequency = Number(csv, x, "frequency", row, line, problems);
            double recency = Number(csv, tx, "recency", row, line, problems);
            double age = Number(csv, t, "T", row, line, problems);
            double monetary = m >= 0 ? Number(csv, m, "monetary_value", row, line, problems) : 0;
            summaries.Add(new CustomerSummary(customer, frequency, recency, age, monetary));
            lines.Add(line);
        }

        if (problems.Count > 0)
        {
            throw CliInputException.FromProblems($"'{path}': {problems.Count} value(s) are not numbers:", problems);
        }

        if (summaries.Count == 0)
        {
            throw new CliInputException($"'{path}' has a header but no customer rows.");
        }

        var issues = SummaryValidator.Check(summaries);
        if (issues.Count > 0)
        {
            var described = issues
                .Select(i => $"row {i.Row} (line {lines[i.Row - 1]}, customer '{i.CustomerId}'): {i.Message}")
                .ToList();
            throw CliInputException.FromProblems($"'{path}': {issues.Count} problem(s) break the model input rules:", described);
        }

        return (CustomerTable.FromSummaries(summaries), m >= 0);
    }

    private static double Number(Sylvan.Data.Csv.CsvDataReader csv, int ordinal, string name, int row, int line, List<string> problems)
    {
        if (CsvColumns.TryNumber(csv, ordinal, out double value))
        {
            return value;
        }

        problems.Add($"row {row} (line {line}): {name} '{CsvColumns.Field(csv, ordinal)}' is not a number");
        return double.NaN;
    }
}
