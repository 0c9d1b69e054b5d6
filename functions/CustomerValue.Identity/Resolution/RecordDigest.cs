using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// The digest of what one record says (see <see cref="KnownRows"/>): 12 URL-safe characters, the first 72 bits of a
/// SHA-256 over the record's fields, field by field in a fixed order with types and lengths (every field but
/// <see cref="OrderRecord.AppliedBy"/>, which says which import sent it, not what the record says), after a context that
/// names the settings its identities were matched under.
/// <para>
/// The fields are written directly, not through JSON: serializing each row cost a re-import about a fifth of its CPU.
/// Stores written before this digest hold the JSON one (<see cref="Legacy"/>), which is still recognised. A field added
/// to the records must be added to the digest's list of fields: a test varies every property it finds by reflection and
/// fails for one the digest does not see.
/// </para>
/// </summary>
public sealed class RecordDigest
{
    /// <summary>Characters of a digest.</summary>
    public const int Length = 12;

    private const int DigestBytes = 9; // 12 characters; only ever compared with the digest of the same order's id
    private const byte Format = 2; // the JSON digest was the first

    private readonly byte[] _context;

    /// <param name="context">What else decides how a record applies (the phone region, the lookup key's probe).</param>
    public RecordDigest(string context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = Encoding.UTF8.GetBytes(context);
    }

    /// <summary>The digest of each record that carries an order (null for the others).</summary>
    public string?[] Of(IReadOnlyList<CustomerActivity> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var digests = new string?[records.Count];
        var writer = new CanonicalWriter();
        try
        {
            for (var i = 0; i < records.Count; i++)
            {
                digests[i] = records[i].Order is null ? null : Of(writer, records[i]);
            }
        }
        finally
        {
            writer.Dispose();
        }

        return digests;
    }

    /// <summary>The digest of one record, whether or not it carries an order.</summary>
    public string Of(CustomerActivity record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = new CanonicalWriter();
        try
        {
            return Of(writer, record);
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>
    /// The digest earlier versions stamped orders with: the same context, then the record's JSON without
    /// <see cref="OrderRecord.AppliedBy"/>. Only computed for a record whose order carries a stamp that is not its
    /// <see cref="Of(CustomerActivity)"/> digest.
    /// </summary>
    public string Legacy(CustomerActivity record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(1024);
        buffer.Write(_context);
        using (var json = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(json, record.Order is { AppliedBy: not null } order ? record with { Order = order with { AppliedBy = null } } : record, DocumentJson.Options);
        }

        return Encode(buffer.WrittenSpan);
    }

    private string Of(CanonicalWriter writer, CustomerActivity record)
    {
        writer.Reset();
        writer.Byte(Format);
        writer.Bytes(_context);
        Write(writer, record);
        return Encode(writer.Written);
    }

    private static string Encode(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return Base64Url.EncodeToString(hash[..DigestBytes]);
    }

    // Every property of the record and of what it holds, in declaration order. Absent values are written as a marker
    // distinct from every present one (an empty string is present), lists with their count.
    private static void Write(CanonicalWriter w, CustomerActivity r)
    {
        var ids = r.Identities;
        w.Strings(ids.SourceCustomerIds);
        w.Strings(ids.Emails);
        w.Strings(ids.Phones);
        w.Strings(ids.LoyaltyIds);
        w.Strings(ids.FormerSourceCustomerIds);
        w.String(r.FirstName);
        w.String(r.LastName);
        if (w.Present(r.Order) is { } o)
        {
            w.String(o.OrderKey);
            w.Int((int)o.Kind);
            w.Time(o.PlacedAt);
            w.Time(o.VersionAt);
            w.Decimal(o.Gross);
            w.Decimal(o.Discounts);
            w.Decimal(o.Tax);
            w.Decimal(o.Shipping);
            w.Decimal(o.Refunded);
            w.String(o.Currency);
            w.Int((int)o.Channel);
            w.String(o.Device);
            w.Bool(o.Cancelled);
            w.String(o.AcquisitionChannel);
            w.String(o.StoreId);
            if (w.Present(o.Refunds) is { } refunds)
            {
                w.Int(refunds.Count);
                foreach (var refund in refunds)
                {
                    w.String(refund.RefundId);
                    w.Decimal(refund.Amount);
                    w.Time(refund.RefundedAt);
                }
            }

            w.Bool(o.IsRefundOnly);
        }

        w.Time(r.OccurredAt);
        if (w.Present(r.Nps) is { } nps)
        {
            w.Int(nps.Score);
            w.Time(nps.AnsweredAt);
            w.String(nps.Survey);
        }

        if (w.Present(r.Consents) is { } consents)
        {
            w.Int(consents.Count);
            foreach (var consent in consents)
            {
                w.Int((int)consent.Channel);
                w.Bool(consent.Granted);
                w.Time(consent.ChangedAt);
            }
        }

        if (w.Present(r.Loyalty) is { } loyalty)
        {
            w.String(loyalty.Program);
            w.Bool(loyalty.IsActive);
            w.Time(loyalty.ChangedAt);
            w.String(loyalty.Tier);
            w.Bool(loyalty.Points.HasValue);
            w.Decimal(loyalty.Points.GetValueOrDefault());
        }

        if (w.Present(r.Touch) is { } touch)
        {
            w.Int((int)touch.Channel);
            w.Time(touch.TouchedAt);
            w.String(touch.Device);
            w.String(touch.Action);
            w.String(touch.Campaign);
        }
    }

    /// <summary>Writes values into one pooled buffer as typed, length-prefixed bytes (little-endian).</summary>
    private sealed class CanonicalWriter : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Reset() => _length = 0;

        public T? Present<T>(T? value)
            where T : class
        {
            Bool(value is not null);
            return value;
        }

        public void Byte(byte value) => Take(1)[0] = value;

        public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

        public void Int(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

        public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

        // A decimal's bits keep its scale, as its JSON did: 1.0 and 1.00 differ.
        public void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            foreach (var part in bits)
            {
                Int(part);
            }
        }

        // The instant and the offset it was written with, as its JSON did.
        public void Time(DateTimeOffset value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(Take(8), value.UtcTicks);
            Int((int)value.Offset.TotalMinutes);
        }

        public void String(string? value)
        {
            if (value is null)
            {
                Int(-1);
                return;
            }

            var span = Take(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
            var bytes = Encoding.UTF8.GetBytes(value, span[4..]);
            BinaryPrimitives.WriteInt32LittleEndian(span, bytes);
            _length -= span.Length - 4 - bytes;
        }

        public void Strings(IReadOnlyList<string> values)
        {
            Int(values.Count);
            foreach (var value in values)
            {
                String(value);
            }
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        private Span<byte> Take(int count)
        {
            if (_length + count > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
                Written.CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var taken = _buffer.AsSpan(_length, count);
            _length += count;
            return taken;
        }
    }
}
