using System.Globalization;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Reads transactions: a CSV with a header holding <c>customer_id</c> (or <c>id</c>), <c>date</c> and <c>amount</c>
/// (negative = return), or the CDNOW layout (whitespace-separated, optional header: customer_id YYYYMMDD cds dollars;
/// or the 2,357-customer sample's master_id sample_id YYYYMMDD cds dollars, where master_id is the customer).
/// </summary>
internal static class TransactionFileReader
{
    private static readonly char[] Whitespace = [' ', '\t'];
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy/MM/dd"];

    /// <summary>Reads <paramref name="path"/> as <paramref name="layout"/> (transactions or cdnow).</summary>
    /// <exception cref="CliInputException">A column is missing or a row cannot be read (all such rows are listed).</exception>
    public static TransactionFile Read(string path, string layout)
    {
        InputSniffer.EnsureExists(path);
        var file = layout == ClvInputFormat.Cdnow ? ReadCdnow(path) : ReadCsv(path);
        if (file.Transactions.Count == 0)
        {
            throw new CliInputException($"'{path}' holds no transactions.");
        }

        return file;
    }

    private static TransactionFile ReadCsv(string path)
    {
        using var csv = CsvColumns.Open(path);
        int id = CsvColumns.Find(csv, CsvColumns.Id);
        int date = CsvColumns.Find(csv, CsvColumns.Date);
        int amount = CsvColumns.Find(csv, CsvColumns.Amount);
        if (id < 0 || date < 0 || amount < 0)
        {
            throw new CliInputException(
                $"'{path}' is not a transaction CSV: expected columns customer_id,date,amount; columns found: {CsvColumns.Names(csv)}.");
        }

        var transactions = new List<Transaction>();
        var lines = new List<int>();
        var problems = new List<string>();
        foreach (var line in CsvColumns.Records(csv))
        {
            Add(CsvColumns.Field(csv, id), CsvColumns.Field(csv, date), CsvColumns.Field(csv, amount), line, transactions, lines, problems);
        }

        return Result(path, transactions, lines, problems, ClvInputFormat.Transactions);
    }

    private static TransactionFile ReadCdnow(string path)
    {
        var transactions = new List<Transaction>();
        var lines = new List<int>();
        var problems = new List<string>();
        int line = 0, columns = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            var fields = text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (columns == 0)
            {
                if (transactions.Count == 0 && problems.Count == 0 && !fields[0].All(char.IsAsciiDigit))
                {
                    continue; // the master file's header line
                }

                columns = fields.Length;
                if (columns is not (4 or 5))
                {
                    throw new CliInputException(
                        $"'{path}' line {line}: {columns} field(s); the CDNOW layout has 4 (customer_id YYYYMMDD cds dollars) or 5 (master_id sample_id YYYYMMDD cds dollars).");
                }
            }

            if (fields.Length != columns)
            {
                problems.Add($"line {line}: {fields.Length} field(s), expected {columns}");
                continue;
            }

            // 4 fields: customer_id date cds dollars; 5 fields: master_id sample_id date cds dollars.
            Add(fields[0], fields[columns - 3], fields[columns - 1], line, transactions, lines, problems);
        }

        return Result(path, transactions, lines, problems, ClvInputFormat.Cdnow);
    }

    private static void Add(string id, string date, string amount, int line, List<Transaction> transactions, List<int> lines, List<string> problems)
    {
        bool ok = true;
        if (string.IsNullOrWhiteSpace(id))
        {
            problems.Add($"line {line}: customer id is empty");
            ok = false;
        }

        if (!TryDate(date, out var day))
        {
            problems.Add($"line {line}: date '{date}' is not a date (use YYYY-MM-DD, YYYYMMDD or ISO 8601)");
            ok = false;
        }

        if (!decimal.TryParse(amount, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal value))
        {
            problems.Add($"line {line}: amount '{amount}' is not a number");
            ok = false;
        }

        if (ok)
        {
            transactions.Add(new Transaction(id, day, value));
            lines.Add(line);
        }
    }

    /// <summary>
    /// Year-first dates only (YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD or ISO 8601 with time and offset), so 01/02/2024 is never
    /// guessed. With a time and offset, the calendar date as written counts (the shop's local day).
    /// </summary>
    private static bool TryDate(string text, out DateTime date)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        if (text.Length >= 10 && text.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9') is false
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var stamp))
        {
            date = stamp.DateTime.Date;
            return true;
        }

        date = default;
        return false;
    }

    private static TransactionFile Result(string path, List<Transaction> transactions, List<int> lines, List<string> problems, string layout)
    {
        if (problems.Count > 0)
        {
            throw CliInputException.FromProblems($"'{path}': {problems.Count} transaction row(s) cannot be read:", problems);
        }

        return new TransactionFile(transactions, lines, layout);
    }
}
