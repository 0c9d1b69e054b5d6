using System.Globalization;

namespace CustomerValue.Application.PosImports;

/// <summary>
/// Collects an import's quarantined rows without holding them in memory: every row goes to a temporary CSV file
/// (uploaded next to the export at the end), and only the first <see cref="PosImportReport.MaxQuarantinedRowsKept"/>
/// are kept for the report document, which is also what a resumed import starts from.
/// </summary>
internal sealed class QuarantineSpool : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "cv-quarantine-" + Guid.NewGuid().ToString("N") + ".csv");
    private readonly StreamWriter _writer;
    private readonly List<QuarantinedRow> _kept = [];

    public QuarantineSpool(IEnumerable<QuarantinedRow> earlier)
    {
        _writer = new StreamWriter(_path, append: false) { NewLine = "\n" };
        _writer.WriteLine("record,line,column,reason");
        foreach (var row in earlier)
        {
            Add(row);
        }
    }

    /// <summary>Rows written.</summary>
    public long Count { get; private set; }

    /// <summary>The first rows, for the report document.</summary>
    public IReadOnlyList<QuarantinedRow> Kept => [.. _kept];

    public void Add(QuarantinedRow row)
    {
        if (_kept.Count < PosImportReport.MaxQuarantinedRowsKept)
        {
            _kept.Add(row);
        }

        _writer.Write(row.Record.ToString(CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.Write(row.Line.ToString(CultureInfo.InvariantCulture));
        _writer.Write(',');
        _writer.Write(Quote(row.Column ?? string.Empty));
        _writer.Write(',');
        _writer.WriteLine(Quote(row.Reason));
        Count++;
    }

    /// <summary>The CSV so far, for upload.</summary>
    public async Task<Stream> OpenAsync()
    {
        await _writer.FlushAsync();
        return new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        File.Delete(_path);
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
