using System.Globalization;

namespace CustomerValue.Application.PosImports;

/// <summary>
/// Writes the quarantine file of an import without holding its rows in memory: the rows, read back from the import's
/// <see cref="QuarantineChunk"/> documents, go to a temporary CSV file that is uploaded next to the export.
/// </summary>
internal sealed class QuarantineSpool : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "cv-quarantine-" + Guid.NewGuid().ToString("N") + ".csv");
    private readonly StreamWriter _writer;

    public QuarantineSpool()
    {
        _writer = new StreamWriter(_path, append: false) { NewLine = "\n" };
        _writer.WriteLine("record,line,column,reason");
    }

    /// <summary>Rows written.</summary>
    public long Count { get; private set; }

    public void Add(QuarantinedRow row)
    {
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
