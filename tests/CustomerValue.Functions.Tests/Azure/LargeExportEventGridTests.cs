using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Storage.Azure.Blobs;
using CustomerValue.Storage.Tests.Emulators;
using Xunit.Abstractions;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// An export far above any request limit, uploaded to Azurite from a generator stream and announced the way Azure
/// announces it: one Event Grid <c>BlobCreated</c> invocation of a few hundred bytes. The handler streams the blob by
/// name, so the import completes and the server's memory does not grow with the export. Size: <c>CV_EVENTGRID_EXPORT_MB</c>
/// (default 48; the 300 MB works the same, it only takes longer).
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(AzuriteLargeExportCollection.Name)]
public sealed class LargeExportEventGridTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    // Live heap (after a full collection) while importing: half the default export's size (a materialised 48 MB export
    // is 48 MB of bytes, 96 MB of chars), and well above what streaming holds (the blob read-ahead buffer, the CSV
    // reader's buffer, two batches of 4096 records): about 6 MB measured, flat from 48 MB to 150 MB exports.
    private const long LiveHeapGrowthLimit = 24 * MiB;

    [Fact]
    public async Task ExportOfTensOfMegabytes_AnnouncedByOneBlobCreatedEvent_ImportsWithFlatMemory()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("CV_EVENTGRID_EXPORT_MB"), out var mb) && mb > 0 ? mb : 48;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var server = await RunningServer.StartAsync(localMode: false, new Dictionary<string, string?> { ["PosExportStorage"] = azurite.ConnectionString });
        var exports = azurite.Client.GetBlobContainerClient(BlobPosExportStorage.ExportsContainer);
        var blob = exports.GetBlobClient("store-all/eventgrid-large.csv");
        await using (var generated = new AnonymousSalesStream(megabytes * MiB))
        {
            await blob.UploadAsync(generated, new BlobUploadOptions
            {
                TransferOptions = new StorageTransferOptions { InitialTransferSize = 8 * MiB, MaximumTransferSize = 8 * MiB, MaximumConcurrency = 4 },
            }, timeout.Token);
        }

        var properties = (await blob.GetPropertiesAsync(cancellationToken: timeout.Token)).Value;
        var invocation = HostPayloads.BlobCreated(ImportPosExportFunction.EventBinding, ImportPosExportFunction.Name, BlobPosExportStorage.ExportsContainer, blob.Name, blob.Uri, properties.ContentLength, properties.ETag.ToString()).ToJsonString();
        Assert.True(invocation.Length < 4096, $"the invocation is {invocation.Length} bytes: the event must not carry the content");

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                await Task.Delay(200, CancellationToken.None);
            }
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        using var response = await server.InvokeAsync(ImportPosExportFunction.Name, invocation);
        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        var liveAfter = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        await sampling.CancelAsync();
        await sampler;

        output.WriteLine($"{properties.ContentLength / (double)MiB:F0} MB imported in {clock.Elapsed.TotalSeconds:F1} s; peak live heap growth {peak / (double)MiB:F1} MB, live after {liveAfter / (double)MiB:F1} MB");
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var body = JsonDocument.Parse(text);
        var report = body.RootElement.GetProperty("ReturnValue");
        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.Equal(AnonymousSalesStream.RowsFor(megabytes * MiB), report.GetProperty("read").GetInt64());
        Assert.Equal(AnonymousSalesStream.IdentifiedRowsFor(megabytes * MiB), report.GetProperty("accepted").GetInt64());
        Assert.True(report.GetProperty("reconciles").GetBoolean());
        Assert.True(peak < LiveHeapGrowthLimit, $"the live heap grew by {peak / (double)MiB:F1} MB while importing a {megabytes} MB export");
        Assert.NotEmpty(await EndToEnd.FindAsync(server.Client, "email", "walkin-1@example.com"));
    }

    /// <summary>
    /// A generic-layout export produced while it is read: mostly anonymous walk-in sales (cheap to import, so the test
    /// measures streaming rather than the store), and every <see cref="IdentifiedEvery"/>th row a known customer.
    /// </summary>
    private sealed class AnonymousSalesStream(long approximateBytes) : Stream
    {
        public const int IdentifiedEvery = 50_000;

        private static readonly byte[] Header = Encoding.ASCII.GetBytes(EndToEnd.PosHeader);
        private const int RowBytes = 96;

        private readonly long _rows = RowsFor(approximateBytes);
        private readonly byte[] _row = new byte[128];
        private long _next = 1;
        private int _rowLength;
        private int _rowOffset;
        private int _headerOffset;

        public static long RowsFor(long bytes) => (bytes - Header.Length) / RowBytes;

        public static long IdentifiedRowsFor(long bytes) => RowsFor(bytes) / IdentifiedEvery;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                if (_headerOffset < Header.Length)
                {
                    var n = Math.Min(Header.Length - _headerOffset, buffer.Length - written);
                    Header.AsSpan(_headerOffset, n).CopyTo(buffer[written..]);
                    _headerOffset += n;
                    written += n;
                    continue;
                }

                if (_rowOffset == _rowLength)
                {
                    if (_next > _rows)
                    {
                        break;
                    }

                    _rowLength = Format(_next++);
                    _rowOffset = 0;
                }

                var take = Math.Min(_rowLength - _rowOffset, buffer.Length - written);
                _row.AsSpan(_rowOffset, take).CopyTo(buffer[written..]);
                _rowOffset += take;
                written += take;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // Every row is RowBytes long (padded in the transaction id) so the row count follows from the size.
        private int Format(long row)
        {
            var customer = row % IdentifiedEvery == 0 ? $"W{row / IdentifiedEvery},walkin-{row / IdentifiedEvery}@example.com" : ",";
            var prefix = $",2026-01-05T10:15:00Z,sale,12.50,USD,store-01,{customer},,,,\n";
            var id = "A-" + row.ToString("D", System.Globalization.CultureInfo.InvariantCulture).PadLeft(RowBytes - prefix.Length - 2, '0');
            var text = id + prefix;
            return Encoding.ASCII.GetBytes(text, _row);
        }
    }
}
