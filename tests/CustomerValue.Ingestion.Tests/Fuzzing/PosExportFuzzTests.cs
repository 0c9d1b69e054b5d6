using System.Globalization;
using System.Text;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.PosExports;
using FsCheck;
using FsCheck.Fluent;

namespace CustomerValue.Ingestion.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the POS export reader: 1,000 generated files, each with its own delimiter (and the
/// decimal separator that goes with it), encoding, line endings, header spelling and column order, and rows that are
/// good (sales and returns with names that need quoting, contain quotes, line breaks or non-ASCII letters), blank, or
/// bad in one field (unreadable or out-of-range amounts, impossible dates, a record longer than the reader keeps).
/// The reader must answer every record exactly once and in order (a blank line as skipped), import each good row with
/// the amount the test wrote and quarantine each bad one with a reason, so that the totals equal the test's own sum.
/// </summary>
public sealed class PosExportFuzzTests
{
    private const int Files = 1_000;
    private const int BufferSize = 4_096;
    private static readonly string[] Columns = ["transaction_id", "timestamp", "total", "type", "currency", "customer_id", "email", "first_name"];
    private static readonly string[] Names = ["Ann", "Lee, Ann", "Ann \"AJ\" Lee", "Ann\nLee", "Zoë 王", "#1001", " padded "];
    private static readonly string[] BadAmounts = ["abc", "1e30", "12..5", "", "1000000000.01", "ten 5", "NaN"];
    private static readonly string[] BadDates = ["2025-13-45T10:00:00Z", "yesterday", "2025-02-30 10:00"];
    private static readonly string[] Dates = ["2025-03-01T10:15:00Z", "2025-03-01 10:15", "2025-03-01T10:15:00+01:00"];

    private enum RowKind
    {
        Sale,
        Return,
        BadAmount,
        BadDate,
        TooLong,
        Blank,
    }

    private sealed record Row(RowKind Kind, int Cents, int Variant);

    private sealed record FileSpec(char Delimiter, int Encoding, bool CrLf, int HeaderCase, int[] Order, Row[] Rows);

    [Fact]
    public void GeneratedExports_EveryRecordAnsweredOnce_TotalsEqualTheReference()
    {
        var row = from kind in Gen.Frequency((6, Gen.Constant(RowKind.Sale)), (2, Gen.Constant(RowKind.Return)), (1, Gen.Constant(RowKind.BadAmount)),
                      (1, Gen.Constant(RowKind.BadDate)), (1, Gen.Constant(RowKind.TooLong)), (1, Gen.Constant(RowKind.Blank)))
                  from cents in Gen.Choose(0, 9_999_999)
                  from variant in Gen.Choose(0, 1_000)
                  select new Row(kind, cents, variant);
        var files = from delimiter in Gen.Elements(',', ';', '\t')
                    from encoding in Gen.Choose(0, 2)
                    from crlf in Gen.Elements(true, false)
                    from headerCase in Gen.Choose(0, 2)
                    from order in Gen.Shuffle(Enumerable.Range(0, Columns.Length).ToArray())
                    from count in Gen.Choose(1, 40)
                    from rows in Gen.ArrayOf(row, count)
                    select new FileSpec(delimiter, encoding, crlf, headerCase, order, rows);

        Prop.ForAll(files.ToArbitrary(), spec => Check(spec))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Files).WithQuietOnSuccess(true));
    }

    private static void Check(FileSpec spec)
    {
        var results = Read(Write(spec));
        var records = spec.Rows;
        string what = $"delimiter '{spec.Delimiter}', encoding {spec.Encoding}, rows [{string.Join(", ", spec.Rows.Select(r => r.Kind))}]";
        Assert.DoesNotContain(results, r => r.Status == PosRowStatus.FileError);
        Assert.Equal(records.Length, results.Count);
        Assert.Equal(Enumerable.Range(1, records.Length).Select(i => (long)i), results.Select(r => r.RecordNumber));

        decimal gross = 0, refunded = 0;
        for (int i = 0; i < records.Length; i++)
        {
            var (expected, result) = (records[i], results[i]);
            switch (expected.Kind)
            {
                case RowKind.Sale or RowKind.Return:
                    Assert.True(result.Status == PosRowStatus.Imported, $"record {i + 1} of {what}: {result.Status} {result.Reason}");
                    Assert.Equal($"F-{i + 1}", result.TransactionId);
                    gross += result.Order!.Gross;
                    refunded += result.Order.Refunded;
                    break;
                case RowKind.Blank:
                    Assert.True(result.Status == PosRowStatus.Skipped, $"record {i + 1} (blank) of {what}: {result.Status}");
                    break;
                default:
                    Assert.True(result.Status == PosRowStatus.Quarantined, $"record {i + 1} ({expected.Kind}) of {what}: {result.Status}");
                    Assert.False(string.IsNullOrWhiteSpace(result.Reason), what);
                    break;
            }
        }

        Assert.Equal(records.Where(r => r.Kind == RowKind.Sale).Sum(r => r.Cents / 100m), gross);
        Assert.Equal(records.Where(r => r.Kind == RowKind.Return).Sum(r => r.Cents / 100m), refunded);
    }

    private static List<PosRowResult> Read(byte[] file)
    {
        var results = new List<PosRowResult>();
        var reader = new PosExportReader(BufferSize);
        var rows = reader.ReadAsync(new MemoryStream(file), PosLayouts.Generic).GetAsyncEnumerator();
        try
        {
            while (rows.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                results.Add(rows.Current);
            }
        }
        finally
        {
            rows.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return results;
    }

    private static byte[] Write(FileSpec spec)
    {
        string newline = spec.CrLf ? "\r\n" : "\n";
        char decimalSeparator = spec.Delimiter == ';' ? ',' : '.';
        var text = new StringBuilder();
        text.Append(string.Join(spec.Delimiter, spec.Order.Select(c => Spell(Columns[c], spec.HeaderCase)))).Append(newline);
        int record = 0;
        foreach (var row in spec.Rows)
        {
            record++;
            if (row.Kind == RowKind.Blank)
            {
                text.Append(newline);
                continue;
            }

            string amount = (row.Cents / 100m).ToString("0.00", CultureInfo.InvariantCulture).Replace('.', decimalSeparator);
            var fields = new Dictionary<string, string>
            {
                ["transaction_id"] = $"F-{record}",
                ["timestamp"] = Dates[row.Variant % Dates.Length],
                ["total"] = row.Kind == RowKind.Return ? "-" + amount : amount,
                ["type"] = row.Kind == RowKind.Return ? "return" : "sale",
                ["currency"] = "EUR",
                ["customer_id"] = $"c{row.Variant}",
                ["email"] = row.Variant % 3 == 0 ? $"buyer{row.Variant}@example.com" : string.Empty,
                ["first_name"] = Names[row.Variant % Names.Length],
            };
            switch (row.Kind)
            {
                case RowKind.BadAmount:
                    fields["total"] = BadAmounts[row.Variant % BadAmounts.Length];
                    break;
                case RowKind.BadDate:
                    fields["timestamp"] = BadDates[row.Variant % BadDates.Length];
                    break;
                case RowKind.TooLong:
                    fields["first_name"] = new string('n', BufferSize + 10 + row.Variant);
                    break;
            }

            text.Append(string.Join(spec.Delimiter, spec.Order.Select(c => Quote(fields[Columns[c]], spec.Delimiter)))).Append(newline);
        }

        return spec.Encoding switch
        {
            0 => Encoding.UTF8.GetBytes(text.ToString()),
            1 => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())],
            _ => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text.ToString())],
        };
    }

    private static string Spell(string column, int variant) => variant switch
    {
        0 => column,
        1 => string.Join('_', column.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
        _ => column.ToUpperInvariant(),
    };

    private static string Quote(string field, char delimiter) =>
        field.IndexOfAny([delimiter, '"', '\n', '\r']) >= 0 || field != field.Trim()
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
}
