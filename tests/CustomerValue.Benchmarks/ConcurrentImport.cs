using System.Diagnostics;
using System.Globalization;
using CustomerValue.Application.PosImports;

namespace CustomerValue.Benchmarks;

/// <summary>
/// A POS export that the benchmark server imports while webhooks are measured (<c>bench ingest --during-import</c>): the
/// webhook targets must hold while a shop's nightly export runs. The import starts after the webhook warm-up and is
/// given a moment to reach its steady state before the measured webhooks; the report says whether it outlasted them
/// (only then was every measured webhook sent during the import) and how fast it went.
/// </summary>
internal sealed class ConcurrentImport : IAsyncDisposable
{
    private const string ExportName = "concurrent-pos-export.csv";
    private static readonly TimeSpan SteadyState = TimeSpan.FromSeconds(2);
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly PosExportImporter _importer;
    private readonly long _rows;
    private readonly CancellationTokenSource _stop = new();
    private Task<PosImportReport?>? _import;
    private long _started;
    private long _ended;

    private ConcurrentImport(PosExportImporter importer, long rows)
    {
        _importer = importer;
        _rows = rows;
    }

    /// <summary>Writes the export into the server's inbox folder (not imported yet).</summary>
    public static Task<ConcurrentImport> PrepareAsync(BenchServer server, string dataDir, int rows, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var inbox = Path.Combine(dataDir, "pos-exports");
        Directory.CreateDirectory(inbox);
        var path = Path.Combine(inbox, ExportName);
        SyntheticPosExport.Write(path, rows, SyntheticPosExport.DefaultCustomers(rows), seed + 7);
        output.WriteLine(string.Format(C, "Concurrent import: {0:N0} rows ({1:0.0} MB) imported by the same server while the measured webhooks are sent.", rows, new FileInfo(path).Length / 1048576.0));
        return Task.FromResult(new ConcurrentImport(server.Services.GetRequiredService<PosExportImporter>(), rows));
    }

    /// <summary>Starts the import and waits until it has been running for a moment.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = Stopwatch.GetTimestamp();
        _import = Task.Run(async () =>
        {
            try
            {
                return await _importer.ImportAsync(ExportName, _stop.Token);
            }
            finally
            {
                Interlocked.Exchange(ref _ended, Stopwatch.GetTimestamp());
            }
        }, CancellationToken.None);
        await Task.WhenAny(_import, Task.Delay(SteadyState, cancellationToken));
    }

    /// <summary>Waits for the import to end and says how it overlapped the measured webhooks.</summary>
    public async Task ReportAsync(TimeSpan webhooks, TextWriter output)
    {
        var endedDuringWebhooks = _import!.IsCompleted;
        var report = await _import;
        var seconds = Stopwatch.GetElapsedTime(_started, Interlocked.Read(ref _ended)).TotalSeconds;
        output.WriteLine(string.Format(C, "  import alongside: {0:N0} rows in {1:0.00} s = {2:N0} rows/s ({3}); {4}",
            _rows, seconds, _rows / seconds, report?.Status.ToString().ToLowerInvariant() ?? "no report",
            endedDuringWebhooks
                ? string.Format(C, "it ended before the {0:0.0} s of measured webhooks did: only partly concurrent, use more rows", webhooks.TotalSeconds)
                : string.Format(C, "every measured webhook ({0:0.0} s) was sent while it ran", webhooks.TotalSeconds)));
        output.Flush();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_import is not null)
        {
            try
            {
                await _import;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }
}
