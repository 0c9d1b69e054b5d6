namespace CustomerValue.Cli.Clv;

/// <summary>Tells the input layouts apart from the first non-blank line of a file.</summary>
internal static class InputSniffer
{
    private static readonly char[] Whitespace = [' ', '\t'];

    /// <summary>The layout <paramref name="requested"/> resolves to for <paramref name="path"/>: summary, transactions or cdnow.</summary>
    public static string Resolve(string path, string requested)
    {
        EnsureExists(path);
        if (requested is ClvInputFormat.Summary or ClvInputFormat.Cdnow)
        {
            return requested;
        }

        string? first = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))
            ?? throw new CliInputException($"input file '{path}' is empty.");
        if (IsCdnowLine(first))
        {
            return ClvInputFormat.Cdnow;
        }

        if (requested == ClvInputFormat.Transactions)
        {
            return ClvInputFormat.Transactions;
        }

        var names = CsvColumns.SplitHeader(first);
        if (names.Any(n => CsvColumns.Frequency.Contains(n)))
        {
            return ClvInputFormat.Summary;
        }

        if (names.Any(n => CsvColumns.Date.Contains(n)))
        {
            return ClvInputFormat.Transactions;
        }

        throw new CliInputException(
            $"cannot tell the layout of '{path}' from its first line '{Shorten(first)}': expected a CSV header with "
            + "id,frequency,recency,T[,monetary_value] (summary) or customer_id,date,amount (transactions), or the "
            + "whitespace-separated CDNOW layout; or pass --format summary|transactions|cdnow.");
    }

    /// <summary>Throws <see cref="CliInputException"/> when <paramref name="path"/> is not an existing file.</summary>
    public static void EnsureExists(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliInputException($"input '{path}' is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliInputException($"input file '{path}' not found (working directory {Directory.GetCurrentDirectory()}).");
        }
    }

    /// <summary>
    /// A CDNOW line: no comma or semicolon, 4 or 5 whitespace-separated fields, either all numeric (data) or the master
    /// file's header "customer_id date number_of_cds dollar_value".
    /// </summary>
    public static bool IsCdnowLine(string line)
    {
        if (line.Contains(',', StringComparison.Ordinal) || line.Contains(';', StringComparison.Ordinal))
        {
            return false;
        }

        var fields = line.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (4 or 5))
        {
            return false;
        }

        return fields.All(f => f.All(c => char.IsAsciiDigit(c) || c is '.' or '-'))
            || string.Equals(fields[0], "customer_id", StringComparison.OrdinalIgnoreCase);
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "...";
}
