using System.Text;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class LargeExportTests
{
    [Fact]
    [Trait("Category", "Slow")] // 200,000 rows: run by tests/run.sh, skipped by --fast
    public async Task TwoHundredThousandRows_StreamThroughWithoutMaterialising()
    {
        const int Rows = 200_000;
        await using var export = new GeneratedExport(Rows);
        long imported = 0, anonymous = 0, other = 0, lastLine = 0;
        await foreach (var row in new PosExportReader().ReadAsync(export, PosLayouts.Generic, CancellationToken.None))
        {
            _ = row.Status switch
            {
                PosRowStatus.Imported => imported++,
                PosRowStatus.Anonymous => anonymous++,
                _ => other++,
            };
            lastLine = row.LineNumber;
        }

        Assert.Equal(Rows - (Rows / 10), imported);
        Assert.Equal(Rows / 10, anonymous);
        Assert.Equal(0, other);
        Assert.Equal(Rows + 1, lastLine);

        // The generator hands out bytes on demand; the reader never asked for the whole file at once.
        Assert.True(export.LargestRead <= 64 * 1024, $"largest read {export.LargestRead}");
    }

    /// <summary>A read-only, non-seekable stream that writes CSV rows as they are read.</summary>
    private sealed class GeneratedExport : Stream
    {
        private readonly int _rows;
        private byte[] _pending = Encoding.UTF8.GetBytes("transaction_id,timestamp,total,customer_id,email\n");
        private int _offset;
        private int _next;

        public GeneratedExport(int rows) => _rows = rows;

        public int LargestRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            var written = 0;
            while (written < buffer.Length)
            {
                if (_offset == _pending.Length)
                {
                    if (_next == _rows)
                    {
                        break;
                    }

                    var i = _next++;
                    var customer = i % 10 == 0 ? "," : $"{i % 5000},c{i % 5000}@example.com";
                    _pending = Encoding.UTF8.GetBytes(FormattableString.Invariant($"G-{i},2025-01-01T00:00:00Z,{i % 100}.25,{customer}\n"));
                    _offset = 0;
                }

                var n = Math.Min(buffer.Length - written, _pending.Length - _offset);
                _pending.AsSpan(_offset, n).CopyTo(buffer[written..]);
                _offset += n;
                written += n;
            }

            return written;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
