using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.PosExports;
using CustomerValue.Storage.Tests.Emulators;
using Xunit.Abstractions;

namespace CustomerValue.Storage.Tests.Azurite;

/// <summary>
/// A multi-hundred-megabyte export: uploaded from a generator stream, read back through
/// <c>BlobPosExportStorage.OpenReadAsync</c> and the real CSV reader in one pass, with the bytes hashed and the rows
/// counted, while the process's memory stays flat. Size: <c>CV_LARGE_EXPORT_MB</c> (default 300).
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(AzuriteLargeExportCollection.Name)]
public sealed class LargeExportStreamingTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    // Far below the export's size (a materialised 300 MB file is 300 MB of bytes or 600 MB of chars), far above what
    // streaming needs (a 4 MB read-ahead buffer, the CSV reader's 64K-char buffer, a bounded string pool).
    private const long LiveHeapGrowthLimit = 48 * MiB;
    private const long AllocatedHeapGrowthLimit = 150 * MiB;
    private const long WorkingSetGrowthLimit = 150 * MiB;

    [Fact]
    public async Task AMultiHundredMegabyteExport_StreamsThroughOpenReadAndTheCsvReader_WithFlatMemory()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("CV_LARGE_EXPORT_MB"), out var mb) && mb > 0 ? mb : 300;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = timeout.Token;
        var (storage, exports, _) = azurite.CreateStorage();
        await storage.EnsureContainersAsync(ct);

        // Upload: never materialised; the SDK buffers MaximumConcurrency blocks of MaximumTransferSize.
        var clock = Stopwatch.StartNew();
        await using var generated = new GeneratedPosExportStream(megabytes * MiB);
        await exports.GetBlobClient("store-all/large.csv").UploadAsync(generated, new BlobUploadOptions
        {
            TransferOptions = new StorageTransferOptions { InitialTransferSize = 8 * MiB, MaximumTransferSize = 8 * MiB, MaximumConcurrency = 4 },
        }, ct);
        var uploaded = clock.Elapsed;
        var expectedHash = generated.GetHash();

        var info = await storage.GetInfoAsync("store-all/large.csv", ct);
        Assert.NotNull(info);
        Assert.Equal(generated.TotalLength, info.Length);

        // Read: one pass through OpenReadAsync (hashed on the way) into the CSV reader.
        using var memory = new MemoryWatch();
        clock.Restart();
        long imported = 0, returns = 0, other = 0;
        string? firstProblem = null;
        var downloadWait = TimeSpan.Zero;
        await using (var blob = await storage.OpenReadAsync("store-all/large.csv", ct))
        await using (var hashing = new HashingReadStream(blob))
        {
            await foreach (var row in new PosExportReader().ReadAsync(hashing, PosLayouts.Generic, ct))
            {
                if (row.Status == PosRowStatus.Imported)
                {
                    imported++;
                    if (row.Order?.Kind == OrderKind.Return)
                    {
                        returns++;
                    }
                }
                else
                {
                    other++;
                    firstProblem ??= $"record {row.RecordNumber}: {row.Status} {row.Column} {row.Reason}";
                }

                if ((row.RecordNumber & 0xFFFF) == 0)
                {
                    memory.Sample(full: (row.RecordNumber & 0x3FFFF) == 0);
                }
            }

            Assert.Equal(generated.TotalLength, hashing.BytesRead);
            Assert.Equal(expectedHash, hashing.GetHash());
            downloadWait = hashing.WaitTime;
        }

        var read = clock.Elapsed;
        memory.Sample(full: true);
        output.WriteLine($"{megabytes} MB, {generated.Rows:N0} rows: upload {uploaded.TotalSeconds:F1} s, read+parse {read.TotalSeconds:F1} s " +
            $"({megabytes / read.TotalSeconds:F0} MB/s, of which {downloadWait.TotalSeconds:F1} s waiting for the blob stream); {memory}");

        Assert.True(other == 0, $"{other} rows were not imported; first: {firstProblem}");
        Assert.Equal(generated.Rows, imported);
        Assert.Equal(generated.Rows / 10, returns);
        Assert.True(memory.LiveGrowth < LiveHeapGrowthLimit, $"live managed heap grew while streaming: {memory}");
        Assert.True(memory.AllocatedGrowth < AllocatedHeapGrowthLimit, $"managed heap grew while streaming: {memory}");
        Assert.True(memory.WorkingSetGrowth < WorkingSetGrowthLimit, $"working set grew while streaming: {memory}");
    }

    /// <summary>
    /// Growth over a baseline taken after a full collection: of the live managed heap (sampled after a full
    /// collection), of the managed heap including not yet collected garbage, and of the process's working set.
    /// </summary>
    private sealed class MemoryWatch : IDisposable
    {
        private readonly Process _process = Process.GetCurrentProcess();
        private readonly long _heap;
        private readonly long _workingSet;
        private int _samples;

        public MemoryWatch()
        {
            _heap = GC.GetTotalMemory(forceFullCollection: true);
            _process.Refresh();
            _workingSet = _process.WorkingSet64;
        }

        public long LiveGrowth { get; private set; }

        public long AllocatedGrowth { get; private set; }

        public long WorkingSetGrowth { get; private set; }

        public void Sample(bool full)
        {
            _samples++;
            AllocatedGrowth = Math.Max(AllocatedGrowth, GC.GetTotalMemory(forceFullCollection: false) - _heap);
            if (full)
            {
                LiveGrowth = Math.Max(LiveGrowth, GC.GetTotalMemory(forceFullCollection: true) - _heap);
            }

            _process.Refresh();
            WorkingSetGrowth = Math.Max(WorkingSetGrowth, _process.WorkingSet64 - _workingSet);
        }

        public void Dispose() => _process.Dispose();

        public override string ToString() =>
            $"{_samples} samples over a {_heap / MiB} MB heap / {_workingSet / MiB} MB working set: peak growth live heap {LiveGrowth / (double)MiB:F1} MB, " +
            $"heap incl. garbage {AllocatedGrowth / (double)MiB:F1} MB, working set {WorkingSetGrowth / (double)MiB:F1} MB";
    }

    /// <summary>Passes reads through, hashing and counting the bytes.</summary>
    private sealed class HashingReadStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long BytesRead { get; private set; }

        /// <summary>Time spent waiting for the blob stream (download), as opposed to parsing.</summary>
        public TimeSpan WaitTime { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public byte[] GetHash() => _hash.GetCurrentHash();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            Append(buffer[..read]);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            var read = await inner.ReadAsync(buffer, cancellationToken);
            WaitTime += Stopwatch.GetElapsedTime(started);
            Append(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Append(ReadOnlySpan<byte> read)
        {
            _hash.AppendData(read);
            BytesRead += read.Length;
        }
    }
}
