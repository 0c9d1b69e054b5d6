using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// The fast path of <see cref="SummaryCsvReader"/> for the files analysts and exports usually give: comma-separated
/// UTF-8 without a single quote character, so every line is one record and the file can be cut at line breaks and
/// parsed on all cores, numbers straight from the bytes. Anything else (another delimiter or encoding, quotes, a lone CR,
/// no id column, a field that is not a plain number, a row breaking a model rule) returns null and the caller reads
/// the file with Sylvan, which gives the same rows or the error messages with their lines.
/// </summary>
internal static class PlainSummaryCsv
{
    private const int MinChunkBytes = 1 << 20;

    /// <summary>What a blank record holds: white space and empty fields.</summary>
    private static readonly SearchValues<byte> Blank = SearchValues.Create(" \t\v\f,"u8);

    // 10^k is exact in a double up to k = 22: a decimal of at most 15 digits is then mantissa / 10^k correctly rounded,
    // the same double as double.Parse gives (Clinger's fast path).
    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>The summaries of <paramref name="path"/> and whether it has a monetary-value column, or null (see the class).</summary>
    public static (CustomerTable Customers, bool HasMonetaryValue)? TryRead(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int start = file.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var text = file.AsSpan(start);
        if (text.IndexOf((byte)'"') >= 0 || !Utf8.IsValid(text) || (text.Length >= 2 && (text[0] == 0 || text[1] == 0)))
        {
            return null;
        }

        int headerEnd = text.IndexOf((byte)'\n');
        if (headerEnd < 0)
        {
            return null;
        }

        string header = Encoding.UTF8.GetString(text[..headerEnd]).TrimEnd('\r');
        if (!header.Contains(',', StringComparison.Ordinal) || header.AsSpan().IndexOfAny(";\t|\r") >= 0)
        {
            return null; // Sylvan picks the delimiter from the header: leave any doubt to it
        }

        var names = header.Split(',').Select(n => n.Trim()).ToArray();
        var columns = new Columns(Find(names, CsvColumns.Id), Find(names, CsvColumns.Frequency), Find(names, CsvColumns.Recency), Find(names, CsvColumns.Age), Find(names, CsvColumns.MonetaryValue));
        if (columns.Id < 0 || columns.X < 0 || columns.Tx < 0 || columns.T < 0)
        {
            return null;
        }

        int dataStart = start + headerEnd + 1;
        var bounds = ChunkBounds(file, dataStart);
        var chunks = new Chunk?[bounds.Count - 1];
        Parallel.For(0, chunks.Length, c => chunks[c] = ParseChunk(file, bounds[c], bounds[c + 1], columns));
        if (chunks.Any(c => c is null))
        {
            return null;
        }

        int count = chunks.Sum(c => c!.Count);
        if (count == 0)
        {
            return null;
        }

        var rows = new SummaryRow[count];
        var idStarts = new int[count];
        var idLengths = new int[count];
        int next = 0;
        foreach (var chunk in chunks)
        {
            chunk!.Rows.AsSpan(0, chunk.Count).CopyTo(rows.AsSpan(next));
            chunk.IdStarts.AsSpan(0, chunk.Count).CopyTo(idStarts.AsSpan(next));
            chunk.IdLengths.AsSpan(0, chunk.Count).CopyTo(idLengths.AsSpan(next));
            next += chunk.Count;
        }

        if (SummaryValidator.Check(rows).Count > 0)
        {
            return null;
        }

        return (CustomerTable.FromPlainIds(rows, file, idStarts, idLengths), columns.M >= 0);
    }

    /// <summary>Parses a decimal number; plain digits with an optional point take the fast path, the rest double.TryParse.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<byte> field, out double value)
    {
        field = field.Trim(" \t\n\v\f\r"u8);
        ulong mantissa = 0;
        int digits = 0, scale = 0;
        bool point = false;
        foreach (byte b in field)
        {
            uint digit = (uint)(b - '0');
            if (digit <= 9 && digits < 15)
            {
                mantissa = (mantissa * 10) + digit;
                digits++;
                scale += point ? 1 : 0;
            }
            else if (b == '.' && !point)
            {
                point = true;
            }
            else
            {
                return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            }
        }

        if (digits == 0)
        {
            return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        value = mantissa / PowersOfTen[scale];
        return true;
    }

    private static int Find(string[] names, HashSet<string> accepted) => Array.FindIndex(names, accepted.Contains);

    /// <summary>Cuts the data into about four chunks per core (at least 1 MB each), each ending just after a line break.</summary>
    private static List<int> ChunkBounds(byte[] file, int dataStart)
    {
        int length = file.Length - dataStart;
        int target = Math.Max(MinChunkBytes, length / (4 * Environment.ProcessorCount) + 1);
        var bounds = new List<int> { dataStart };
        int position = dataStart;
        while (file.Length - position > target)
        {
            int newline = file.AsSpan(position + target).IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            position += target + newline + 1;
            bounds.Add(position);
        }

        if (bounds[^1] != file.Length)
        {
            bounds.Add(file.Length);
        }

        return bounds;
    }

    private static Chunk? ParseChunk(byte[] file, int from, int to, Columns columns)
    {
        var chunk = new Chunk(Math.Max(16, (to - from) / 24));
        int lastColumn = Math.Max(Math.Max(columns.Id, columns.X), Math.Max(Math.Max(columns.Tx, columns.T), columns.M));
        Span<int> fieldStart = stackalloc int[lastColumn + 2];
        int position = from;
        while (position < to)
        {
            int newline = file.AsSpan(position, to - position).IndexOf((byte)'\n');
            int end = newline < 0 ? to : position + newline;
            int next = end + 1;
            if (end > position && file[end - 1] == '\r')
            {
                end--;
            }

            var line = file.AsSpan(position, end - position);
            if (line.IndexOf((byte)'\r') >= 0)
            {
                return null;
            }

            if (line.IndexOfAnyExcept(Blank) < 0)
            {
                position = next;
                continue; // a blank record, as Sylvan's reader skips it
            }

            // Start offsets of the fields up to the last one needed, and the end of that one.
            int fields = 0, cursor = 0;
            while (fields <= lastColumn)
            {
                fieldStart[fields++] = cursor;
                int comma = line[cursor..].IndexOf((byte)',');
                if (comma < 0)
                {
                    cursor = line.Length + 1;
                    break;
                }

                cursor += comma + 1;
            }

            if (fields <= lastColumn)
            {
                return null; // a short row: Sylvan's path reports it
            }

            fieldStart[fields] = cursor;
            if (!TryParseNumber(Field(fieldStart, line, columns.X), out double x)
                || !TryParseNumber(Field(fieldStart, line, columns.Tx), out double tx)
                || !TryParseNumber(Field(fieldStart, line, columns.T), out double t))
            {
                return null;
            }

            double m = 0;
            if (columns.M >= 0 && !TryParseNumber(Field(fieldStart, line, columns.M), out m))
            {
                return null;
            }

            var id = Field(fieldStart, line, columns.Id);
            int idOffset = id.Length - id.TrimStart(" \t\v\f"u8).Length;
            id = id.Trim(" \t\v\f"u8);
            if (!id.IsEmpty && (id[0] >= 0x80 || id[^1] >= 0x80))
            {
                return null; // maybe a Unicode space that string.Trim would remove
            }

            chunk.Add(new SummaryRow(x, tx, t, m), position + fieldStart[columns.Id] + idOffset, id.Length);
            position = next;
        }

        return chunk;
    }

    /// <summary>Field <paramref name="ordinal"/> of a line, given the start of each field and of the one after it.</summary>
    private static ReadOnlySpan<byte> Field(ReadOnlySpan<int> starts, ReadOnlySpan<byte> line, int ordinal) =>
        line[starts[ordinal]..(starts[ordinal + 1] - 1)];

    private sealed record Columns(int Id, int X, int Tx, int T, int M);

    private sealed class Chunk(int capacity)
    {
        public SummaryRow[] Rows { get; private set; } = new SummaryRow[capacity];

        public int[] IdStarts { get; private set; } = new int[capacity];

        public int[] IdLengths { get; private set; } = new int[capacity];

        public int Count { get; private set; }

        public void Add(SummaryRow row, int idStart, int idLength)
        {
            if (Count == Rows.Length)
            {
                var rows = Rows;
                var starts = IdStarts;
                var lengths = IdLengths;
                Array.Resize(ref rows, 2 * Count);
                Array.Resize(ref starts, 2 * Count);
                Array.Resize(ref lengths, 2 * Count);
                (Rows, IdStarts, IdLengths) = (rows, starts, lengths);
            }

            Rows[Count] = row;
            IdStarts[Count] = idStart;
            IdLengths[Count] = idLength;
            Count++;
        }
    }
}
