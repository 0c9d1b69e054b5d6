using System.Buffers;
using System.Text;
using System.Text.Json;
using CustomerValue.Storage.Documents;
using ZstdSharp;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// How a document's JSON is kept in the <c>body</c> column: one marker byte, then a Zstandard frame compressed against
/// a dictionary (<see cref="StoredBodyDictionary"/>: version 2 for profiles, version 1 for every other container). A
/// document of a few hundred bytes barely compresses on its own (its field names are most of it), but against a
/// dictionary holding those names it shrinks to a third: an imported order goes from about 310 bytes to about 105, a
/// profile from about 1,200 to about 170.
/// <para>
/// The <c>id</c> property a document starts with (identity links, profiles, imports) is not stored: the row already
/// holds the id, so the body keeps <c>{</c> and what follows the id, and reading puts <c>"id":"…",</c> back (markers
/// <see cref="ZstdDictionaryV1WithoutId"/>, <see cref="ZstdDictionaryV2WithoutId"/>). An identity link's id is 70
/// characters of hash, most of its compressed body.
/// </para>
/// <para>
/// Every version's bodies stay readable: plain JSON (earlier versions' profiles and text bodies; any body that did not
/// shrink) starts with <c>{</c> or whitespace, never with a marker, and <see cref="ZstdDictionaryV1"/> bodies are read
/// with dictionary version 1. Nothing is rewritten on open.
/// </para>
/// </summary>
internal static class StoredBodies
{
    /// <summary>First byte of a body compressed with Zstandard against dictionary version 1. Never changes meaning.</summary>
    public const byte ZstdDictionaryV1 = 0x01;

    /// <summary>
    /// First byte of a body compressed against dictionary version 1 whose leading <c>"id":"…",</c> property was left out
    /// (the row's id is put back on reading). Never changes meaning.
    /// </summary>
    public const byte ZstdDictionaryV1WithoutId = 0x04;

    /// <summary>First byte of a body compressed against dictionary version 2, the whole JSON. Never changes meaning.</summary>
    public const byte ZstdDictionaryV2 = 0x02;

    /// <summary>
    /// First byte of a body compressed against dictionary version 2 whose leading <c>"id":"…",</c> property was left out
    /// (the row's id is put back on reading). Never changes meaning.
    /// </summary>
    public const byte ZstdDictionaryV2WithoutId = 0x03;

    /// <summary>Level 1: documents are small, so higher levels gain a few bytes for several times the CPU.</summary>
    private const int Level = 1;

    /// <summary>Room for the id property of an id of up to 255 characters (the longest a store accepts) written as it is.</summary>
    private const int IdPropertyBuffer = 264;

    private static readonly byte[] IdPropertyStart = "{\"id\":"u8.ToArray();

    /// <summary>What the serializer writes unescaped (its default encoder escapes HTML-sensitive and non-ASCII characters).</summary>
    private static readonly SearchValues<char> PlainIdCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.");
    private static readonly byte[] Version1 = StoredBodyDictionary.Version1();
    private static readonly byte[] Version2 = StoredBodyDictionary.Version2();

    [ThreadStatic]
    private static Compressor? t_compressorV1;

    [ThreadStatic]
    private static Compressor? t_compressorV2;

    [ThreadStatic]
    private static Decompressor? t_decompressorV1;

    [ThreadStatic]
    private static Decompressor? t_decompressorV2;

    /// <summary>What the body column receives for the UTF-8 JSON of the document <paramref name="id"/> of <paramref name="container"/>.</summary>
    public static byte[] Encode(string container, string id, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        // The id is left out only when the JSON starts with exactly what reading puts back.
        var idLength = LeadingIdLength(id, json);
        var profiles = container == ContainerNames.Profiles;
        var marker = (profiles, idLength > 0) switch
        {
            (true, true) => ZstdDictionaryV2WithoutId,
            (true, false) => ZstdDictionaryV2,
            (false, true) => ZstdDictionaryV1WithoutId,
            _ => ZstdDictionaryV1,
        };
        var compressor = profiles ? t_compressorV2 ??= NewCompressor(Version2) : t_compressorV1 ??= NewCompressor(Version1);
        // Without its id the source is '{' and what followed the property, spliced in a pooled buffer: one is written per
        // document, so a new array each time was garbage the import's collections paid for.
        var spliced = idLength > 0 ? ArrayPool<byte>.Shared.Rent(json.Length - idLength + 1) : null;
        var rented = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(json.Length) + 1);
        try
        {
            ReadOnlySpan<byte> source = json;
            if (spliced is not null)
            {
                spliced[0] = (byte)'{';
                json.AsSpan(idLength).CopyTo(spliced.AsSpan(1));
                source = spliced.AsSpan(0, json.Length - idLength + 1);
            }

            if (!compressor.TryWrap(source, rented.AsSpan(1), out var written))
            {
                throw new InvalidOperationException("A document did not fit its compression bound.");
            }

            if (written + 1 >= json.Length)
            {
                return json; // nothing gained (tiny or random content): plain JSON reads the same
            }

            rented[0] = marker;
            return rented.AsSpan(0, written + 1).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
            if (spliced is not null)
            {
                ArrayPool<byte>.Shared.Return(spliced);
            }
        }
    }

    /// <summary>Reads a body column of the document <paramref name="id"/>, compressed or plain, as UTF-8 JSON handed to <paramref name="parse"/>.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> stored, string id, Func<ReadOnlySpan<byte>, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (stored.IsEmpty || stored[0] is not (ZstdDictionaryV1 or ZstdDictionaryV1WithoutId or ZstdDictionaryV2 or ZstdDictionaryV2WithoutId))
        {
            return parse(stored);
        }

        var frame = stored[1..];
        var size = Decompressor.GetDecompressedSize(frame);
        if (size is 0 or > int.MaxValue)
        {
            throw new InvalidDataException("A stored document's compressed body does not state its size.");
        }

        var decompressor = stored[0] is ZstdDictionaryV1 or ZstdDictionaryV1WithoutId
            ? t_decompressorV1 ??= NewDecompressor(Version1)
            : t_decompressorV2 ??= NewDecompressor(Version2);
        Span<byte> buffer = stackalloc byte[IdPropertyBuffer];
        var idProperty = stored[0] is ZstdDictionaryV1WithoutId or ZstdDictionaryV2WithoutId ? IdProperty(id, buffer) : [];
        var rented = ArrayPool<byte>.Shared.Rent((int)size + idProperty.Length);
        try
        {
            // Decompressed after the room for the id property, which then goes in between the '{' and the rest.
            if (!decompressor.TryUnwrap(frame, rented.AsSpan(idProperty.Length), out var written))
            {
                throw new InvalidDataException("A stored document's compressed body is larger than it states.");
            }

            if (idProperty.Length > 0)
            {
                rented[0] = (byte)'{';
                idProperty.CopyTo(rented.AsSpan(1));
            }

            return parse(rented.AsSpan(0, written + idProperty.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The length of <c>{"id":"…",</c> at the start of <paramref name="json"/> when it names <paramref name="id"/>, else 0.</summary>
    private static int LeadingIdLength(string id, byte[] json)
    {
        if (string.IsNullOrEmpty(id) || !json.AsSpan().StartsWith(IdPropertyStart))
        {
            return 0;
        }

        Span<byte> buffer = stackalloc byte[IdPropertyBuffer];
        var property = IdProperty(id, buffer); // "id":"…",
        return json.AsSpan(1).StartsWith(property) ? property.Length + 1 : 0;
    }

    /// <summary>
    /// <c>"id":"…",</c> for the id, escaped as the documents' serializer escapes it. Ids of letters, digits and
    /// <c>- _ : .</c> (every id the application makes) are written as they are, into <paramref name="buffer"/>: this runs
    /// for every document written and every one read, and the serializer's string was most of the cost of both.
    /// </summary>
    private static ReadOnlySpan<byte> IdProperty(string id, Span<byte> buffer)
    {
        const int Around = 8; // "id":" before, ", after
        if (id.Length + Around > buffer.Length || id.AsSpan().ContainsAnyExcept(PlainIdCharacters))
        {
            return Encoding.UTF8.GetBytes("\"id\":" + JsonSerializer.Serialize(id, DocumentJson.Options) + ",");
        }

        "\"id\":\""u8.CopyTo(buffer);
        var length = Encoding.ASCII.GetBytes(id, buffer[6..]);
        buffer[6 + length] = (byte)'"';
        buffer[7 + length] = (byte)',';
        return buffer[..(length + Around)];
    }

    private static Compressor NewCompressor(byte[] dictionary)
    {
        var compressor = new Compressor(Level);
        compressor.LoadDictionary(dictionary);
        return compressor;
    }

    private static Decompressor NewDecompressor(byte[] dictionary)
    {
        var decompressor = new Decompressor();
        decompressor.LoadDictionary(dictionary);
        return decompressor;
    }
}
