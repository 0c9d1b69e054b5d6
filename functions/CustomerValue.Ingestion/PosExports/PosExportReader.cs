using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Sylvan.Data.Csv;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>
/// Streams a POS export record by record with Sylvan.Data.Csv: the file is never held in memory, one pooled buffer
/// serves every record, and one bad record is quarantined while the rest import, an over-long one (an unclosed quote)
/// included. Only a file that cannot be read as a whole (no header, a required column missing) ends with a
/// <see cref="PosRowStatus.FileError"/>. How amounts and other values are read is documented in <c>POS-EXPORTS.md</c>
/// beside this project.
/// </summary>
public sealed class PosExportReader
{
    /// <summary>A reader for records of up to <paramref name="bufferSize"/> characters; longer ones are quarantined.</summary>
    /// <param name="bufferSize">Larger records almost always mean an unclosed quote; 64K characters by default.</param>
    public PosExportReader(int bufferSize = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1024);
        BufferSize = bufferSize;
    }

    /// <summary>
    /// The longest record, in characters without its line break, that is read; a longer one is quarantined (its
    /// characters are skipped, never held) and reading goes on with the next record.
    /// </summary>
    public int BufferSize { get; }

    /// <summary>
    /// The tag every order that names a customer carries (<see cref="CustomerValue.Domain.Profiles.OrderRecord.AppliedBy"/>:
    /// this, <c>#</c> and the record's number), so an importer knows the rows it stored; null for none.
    /// </summary>
    public string? AppliedBy { get; init; }

    /// <summary>
    /// Reads the export: UTF-8 with or without BOM unless the layout names another <see cref="PosLayout.Encoding"/>
    /// (UTF-16 with BOM also works).
    /// </summary>
    public async IAsyncEnumerable<PosRowResult> ReadAsync(
        Stream content, PosLayout layout, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(layout);

        var zone = layout.TimeZone is null ? TimeZoneInfo.Utc : PosTimeZones.Find(layout.TimeZone);
        if (zone is null)
        {
            yield return FileError(0, 1, null, $"layout '{layout.Name}': time zone '{layout.TimeZone}' is unknown (use an IANA id such as Europe/Berlin).");
            yield break;
        }

        // Bytes the encoding does not define become U+FFFD, which quarantines their record (see PosRowMapper).
        var encoding = layout.Encoding is null ? new UTF8Encoding(false) : PosEncodings.Find(layout.Encoding);
        if (encoding is null)
        {
            yield return FileError(0, 1, null, $"layout '{layout.Name}': encoding '{layout.Encoding}' is unknown (use a name such as utf-8 or windows-1252).");
            yield break;
        }

        using var text = new StreamReader(content, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var header = await HeaderLine.ReadAsync(text, cancellationToken);
        if (header is null || header.IsEmpty)
        {
            yield return FileError(0, 1, null, header is null
                ? $"the first line is longer than {HeaderLine.MaxLength} characters: this is not a CSV export."
                : "the file is empty: no header line.");
            yield break;
        }

        var delimiter = layout.Delimiter ?? header.DetectDelimiter();
        var decimalSeparator = layout.DecimalSeparator ?? (delimiter == ';' ? ',' : '.');
        var groupSeparators = layout.GroupSeparators ?? PosAmounts.DefaultGroupSeparators(decimalSeparator);
        if (groupSeparators.Contains(decimalSeparator, StringComparison.Ordinal))
        {
            yield return FileError(0, 1, null, $"layout '{layout.Name}': '{decimalSeparator}' is the decimal separator, so it cannot also group digits.");
            yield break;
        }

        if (header.HeaderLength > BufferSize)
        {
            yield return FileError(0, 1, null, $"the header line is longer than {BufferSize} characters: this is not a CSV export.");
            yield break;
        }

        // Records reach the CSV reader only up to BufferSize characters, so its buffer holds any of them with its
        // line break and the character it looks ahead at.
        using var records = new LongRecordFilter(new ReplayTextReader(header.ReadAhead, header.Count, text), delimiter, BufferSize);
        var buffer = ArrayPool<char>.Shared.Rent(BufferSize + 16);
        try
        {
            var options = new CsvDataReaderOptions
            {
                Delimiter = delimiter,
                HasHeaders = true,
                OwnsReader = false,

                // Sylvan skips lines starting with '#' as comments by default, which would silently drop
                // Shopify orders named "#1001". POS exports have no comments.
                Comment = '\0',

                // A stray quote inside a field (12" pizza) is read as text instead of stopping the whole file.
                CsvStyle = CsvStyle.Lax,
            };
            await using var csv = await CsvDataReader.CreateAsync(records, buffer, options, cancellationToken);
            var map = PosColumnMap.Create(csv, layout, out var missing);
            if (missing is not null)
            {
                yield return FileError(0, 1, missing, $"layout '{layout.Name}': required column '{missing}' is missing (delimiter '{Printable(delimiter)}'); columns found: {string.Join(", ", map.Names)}.");
                yield break;
            }

            var mapper = new PosRowMapper(layout, map, new PosTimestamps(layout.TimestampFormats, zone), decimalSeparator, groupSeparators, layout.Encoding ?? "UTF-8") { AppliedBy = AppliedBy };
            long record = 0;
            long line = header.LineBreaks + 1;
            while (true)
            {
                PosRowResult? broken = null;
                bool more;
                try
                {
                    more = await csv.ReadAsync(cancellationToken);
                }
                catch (CsvRecordTooLargeException)
                {
                    // Not expected: LongRecordFilter lets no record through that the buffer cannot hold.
                    more = false;
                    broken = FileError(record + 1, line, null, $"record {record + 1} (line {line}) is longer than {BufferSize} characters, most likely an unclosed quote: reading stopped here.");
                }
                catch (CsvFormatException ex)
                {
                    more = false;
                    broken = FileError(record + 1, line, null, $"record {record + 1} (line {line}) is malformed CSV ({ex.GetType().Name}): reading stopped here.");
                }

                if (broken is not null)
                {
                    yield return broken;
                    yield break;
                }

                if (!more)
                {
                    yield break;
                }

                record++;
                if (records.TryTakeDropped(record, out var dropped))
                {
                    yield return new PosRowResult
                    {
                        Status = PosRowStatus.Quarantined,
                        RecordNumber = record,
                        LineNumber = line,
                        Reason = $"the record is {dropped.Length:#,0} characters long, more than the {BufferSize:#,0} a record may have (most likely a quote that is never closed); it was skipped",
                    };
                    line += dropped.LineBreaks;
                    continue;
                }

                var startLine = line;
                line += HeaderLine.CountLineBreaks(csv.GetRawRecordSpan());
                yield return mapper.Map(csv, record, startLine);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static PosRowResult FileError(long record, long line, string? column, string reason) => new()
    {
        Status = PosRowStatus.FileError,
        RecordNumber = record,
        LineNumber = line,
        Column = column,
        Reason = reason,
    };

    private static string Printable(char delimiter) => delimiter == '\t' ? "tab" : delimiter.ToString();
}
