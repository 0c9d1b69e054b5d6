using System.Globalization;
using Sylvan.Data.Csv;

namespace CustomerValue.Cli.Clv;

/// <summary>Accepted column names (case-insensitive) of the input CSV files, and shared CSV helpers.</summary>
internal static class CsvColumns
{
    public static readonly HashSet<string> Id = new(["id", "customer_id", "customer"], StringComparer.OrdinalIgnoreCase);
    public static readonly HashSet<string> Frequency = new(["frequency", "x"], StringComparer.OrdinalIgnoreCase);
    public static readonly HashSet<string> Recency = new(["recency", "t_x"], StringComparer.OrdinalIgnoreCase);
    public static readonly HashSet<string> Age = new(["t"], StringComparer.OrdinalIgnoreCase);
    public static readonly HashSet<string> MonetaryValue = new(["monetary_value", "zbar"], StringComparer.OrdinalIgnoreCase);
    public static readonly HashSet<string> Date = new(["date", "order_date"], StringComparer.OrdinalIgnoreCase);
    public static readonly HashSet<string> Amount = new(["amount", "value", "total"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Splits a header line on the first of ',', ';' or tab it contains (for layout detection only).</summary>
    public static string[] SplitHeader(string line)
    {
        char delimiter = line.Contains(',', StringComparison.Ordinal) ? ','
            : line.Contains(';', StringComparison.Ordinal) ? ';'
            : '\t';
        return line.Split(delimiter).Select(n => n.Trim().Trim('"').Trim()).ToArray();
    }

    /// <summary>Opens a CSV file with a header row (delimiter detected; '#' is data, not a comment).</summary>
    /// <summary>
    /// Advances through the data records, skipping blank ones, and yields the file line each record starts on
    /// (quoted fields may span lines, so line and record numbers differ).
    /// </summary>
    public static IEnumerable<int> Records(CsvDataReader csv)
    {
        var next = 2;
        while (csv.Read())
        {
            var line = next;
            next += LineBreaks(csv);
            if (!IsBlank(csv))
            {
                yield return line;
            }
        }
    }

    public static CsvDataReader Open(string path) => CsvDataReader.Create(path, new CsvDataReaderOptions
    {
        HasHeaders = true,
        Comment = '\0',
        CsvStyle = CsvStyle.Standard,
    });

    /// <summary>The ordinal of the first column whose name is in <paramref name="names"/>, or -1.</summary>
    public static int Find(CsvDataReader csv, HashSet<string> names)
    {
        for (int i = 0; i < csv.FieldCount; i++)
        {
            if (names.Contains(csv.GetName(i).Trim()))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The header names, for messages.</summary>
    public static string Names(CsvDataReader csv) =>
        string.Join(", ", Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i)));

    /// <summary>Whether every field of the current row is empty (a blank line). Reads spans: no string per field.</summary>
    public static bool IsBlank(CsvDataReader csv)
    {
        for (int i = 0; i < csv.RowFieldCount; i++)
        {
            if (!csv.GetFieldSpan(i).IsWhiteSpace())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The trimmed field <paramref name="ordinal"/> of the current row; empty when the row is short.</summary>
    public static string Field(CsvDataReader csv, int ordinal) =>
        ordinal >= 0 && ordinal < csv.RowFieldCount ? csv.GetString(ordinal).Trim() : string.Empty;

    /// <summary>
    /// Line breaks in the current record's raw text, terminator included (CRLF counts once): the next record starts
    /// that many lines further down. Keeps line numbers right when a quoted field spans lines.
    /// </summary>
    public static int LineBreaks(CsvDataReader csv)
    {
        var raw = csv.GetRawRecordSpan();
        int breaks = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 == raw.Length || raw[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return Math.Max(breaks, 1);
    }

    /// <summary>Parses an invariant-culture number (e.g. 12.5, 1e3).</summary>
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Parses field <paramref name="ordinal"/> of the current row as an invariant-culture number straight from the
    /// reader's buffer (no string per value: a million-row summary has four million numbers); false when the row is
    /// short or the field is not a number.
    /// </summary>
    public static bool TryNumber(CsvDataReader csv, int ordinal, out double value)
    {
        value = 0;
        return ordinal >= 0 && ordinal < csv.RowFieldCount
            && double.TryParse(csv.GetFieldSpan(ordinal).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Quotes a CSV field when it needs it.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
