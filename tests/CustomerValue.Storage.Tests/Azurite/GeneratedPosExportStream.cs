using System.Security.Cryptography;
using System.Text;

namespace CustomerValue.Storage.Tests.Azurite;

/// <summary>
/// A generic-layout POS export of <see cref="Rows"/> fixed-width rows produced while it is read, so that an export
/// of hundreds of megabytes is uploaded without ever being held in memory. Forward-only (like a network upload);
/// hashes what it hands out so the download can be compared byte for byte.
/// </summary>
public sealed class GeneratedPosExportStream : Stream
{
    /// <summary>The header of <c>PosLayouts.Generic</c>.</summary>
    public static readonly byte[] Header = "transaction_id,timestamp,total,type,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n"u8.ToArray();

    // 118 bytes: T-<row>,<time>,<ddd.dd>,payment,... or ...,<-ddd.dd>,refund,... (same width), EUR, one of 50 stores,
    // one of a million customers (id, email, loyalty id).
    private static readonly byte[] Template = Encoding.ASCII.GetBytes(
        "T-0000000000,2025-01-05T10:15:00Z,000.00,payment,EUR,store-00,c000000000,c000000000@example.com,,Ann,Lee,LC-000000000\n");

    private readonly byte[] _row = (byte[])Template.Clone();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    /// <param name="approximateBytes">The export's size, rounded down to whole rows.</param>
    public GeneratedPosExportStream(long approximateBytes)
    {
        Rows = (approximateBytes - Header.Length) / Template.Length;
        TotalLength = Header.Length + (Rows * Template.Length);
    }

    /// <summary>Data rows in the export (the header not counted).</summary>
    public long Rows { get; }

    /// <summary>Bytes in the export.</summary>
    public long TotalLength { get; }

    /// <summary>Every 10th row (1-based) is a refund with a negative total; the others are payments.</summary>
    public static bool IsReturn(long row) => row % 10 == 0;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>SHA-256 of everything read so far (the whole export once read to the end).</summary>
    public byte[] GetHash() => _hash.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < TotalLength)
        {
            ReadOnlySpan<byte> source;
            long offsetInSource;
            if (_position < Header.Length)
            {
                source = Header;
                offsetInSource = _position;
            }
            else
            {
                var row = (_position - Header.Length) / Template.Length; // 0-based
                offsetInSource = (_position - Header.Length) % Template.Length;
                if (offsetInSource == 0)
                {
                    FormatRow(row + 1);
                }

                source = _row;
            }

            var chunk = source[(int)offsetInSource..];
            var n = Math.Min(chunk.Length, buffer.Length - written);
            chunk[..n].CopyTo(buffer[written..]);
            written += n;
            _position += n;
        }

        _hash.AppendData(buffer[..written]);
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void FormatRow(long row)
    {
        Digits(row, 2, 10);
        var amount = _row.AsSpan(34, 14); // "ddd.dd,payment" or "-ddd.dd,refund"
        var at = 34;
        if (IsReturn(row))
        {
            "-000.00,refund"u8.CopyTo(amount);
            at++;
        }
        else
        {
            "000.00,payment"u8.CopyTo(amount);
        }

        Digits((row % 999) + 1, at, 3);
        Digits(row % 100, at + 4, 2);
        Digits(row % 50, 59, 2);
        var customer = row % 1_000_000;
        Digits(customer, 63, 9);
        Digits(customer, 74, 9);
        Digits(customer, 108, 9);
    }

    private void Digits(long value, int at, int width)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            _row[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
