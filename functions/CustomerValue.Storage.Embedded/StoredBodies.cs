using System.Buffers;
using CustomerValue.Storage.Documents;
using ZstdSharp;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// How a document's JSON is kept in the <c>body</c> column. Most containers hold it compressed: one marker byte, then a
/// Zstandard frame compressed against <see cref="StoredBodyDictionary"/>. A document of a few hundred bytes barely
/// compresses on its own (its field names are most of it), but against a dictionary holding those names it shrinks to a
/// third: an imported order goes from about 310 bytes to about 105 (what is left is its own key, times, amount and the
/// import row that applied it), and a POS import's store by a fifth.
/// <para>
/// Containers with indexed arrays (<see cref="IndexedArrays"/>, the profiles) stay plain UTF-8 JSON: the store fills a
/// new array index with SQLite's JSON functions, which cannot read a compressed body. Plain JSON always starts with
/// <c>{</c> (or whitespace), never with the marker, so bodies written by earlier versions and plain ones read the same:
/// a store keeps working whatever mix it holds, and nothing is rewritten on open.
/// </para>
/// </summary>
internal static class StoredBodies
{
    /// <summary>First byte of a body compressed with Zstandard against dictionary version 1. Never changes meaning.</summary>
    public const byte ZstdDictionaryV1 = 0x01;

    /// <summary>Level 1: documents are small, so higher levels gain a few bytes for several times the CPU.</summary>
    private const int Level = 1;

    private static readonly byte[] Dictionary = StoredBodyDictionary.Version1();

    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    /// <summary>True when the container's bodies are stored compressed.</summary>
    public static bool Compresses(string container)
    {
        foreach (var array in IndexedArrays.All)
        {
            if (array.Container == container)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What the body column receives for the document's UTF-8 JSON.</summary>
    public static byte[] Encode(string container, byte[] json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!Compresses(container))
        {
            return json;
        }

        var compressor = t_compressor ??= NewCompressor();
        var rented = ArrayPool<byte>.Shared.Rent(Compressor.GetCompressBound(json.Length) + 1);
        try
        {
            if (!compressor.TryWrap(json, rented.AsSpan(1), out var written))
            {
                throw new InvalidOperationException("A document did not fit its compression bound.");
            }

            if (written + 1 >= json.Length)
            {
                return json; // nothing gained (tiny or random content): plain JSON reads the same
            }

            rented[0] = ZstdDictionaryV1;
            return rented.AsSpan(0, written + 1).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads a body column, compressed or plain, as UTF-8 JSON handed to <paramref name="parse"/>.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> stored, Func<ReadOnlySpan<byte>, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (stored.IsEmpty || stored[0] != ZstdDictionaryV1)
        {
            return parse(stored);
        }

        var frame = stored[1..];
        var size = Decompressor.GetDecompressedSize(frame);
        if (size is 0 or > int.MaxValue)
        {
            throw new InvalidDataException("A stored document's compressed body does not state its size.");
        }

        var decompressor = t_decompressor ??= NewDecompressor();
        var rented = ArrayPool<byte>.Shared.Rent((int)size);
        try
        {
            if (!decompressor.TryUnwrap(frame, rented, out var written))
            {
                throw new InvalidDataException("A stored document's compressed body is larger than it states.");
            }

            return parse(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static Compressor NewCompressor()
    {
        var compressor = new Compressor(Level);
        compressor.LoadDictionary(Dictionary);
        return compressor;
    }

    private static Decompressor NewDecompressor()
    {
        var decompressor = new Decompressor();
        decompressor.LoadDictionary(Dictionary);
        return decompressor;
    }
}
