using System.Buffers;
using System.Text;
using System.Text.Json;

namespace CustomerValue.Storage.Embedded;

/// <summary>
/// The parameter of <see cref="SqliteIdLookups.MatchStampQuery"/>: (id, stamp) pairs as one JSON array, each key as its
/// stored form (the encoded blob in hex, or the text), so the query decodes it without a call into .NET per id.
/// </summary>
internal static class SqliteStampPairs
{
    /// <summary>The JSON array <c>[[key, encoded, stamp], ...]</c> of the pairs, in their order.</summary>
    public static string Json(IReadOnlyList<string> ids, IReadOnlyList<string> stamps)
    {
        // About 70 bytes a pair (an order's id is 22 bytes stored, 44 hex digits).
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, ids.Count * 72));
        using (var json = new Utf8JsonWriter(buffer))
        {
            Span<char> hex = stackalloc char[128];
            json.WriteStartArray();
            for (var i = 0; i < ids.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(ids[i]);
                ArgumentNullException.ThrowIfNull(stamps[i]);
                json.WriteStartArray();
                if (StoredKeys.Encode(ids[i]) is byte[] encoded)
                {
                    if (encoded.Length * 2 <= hex.Length && Convert.TryToHexString(encoded, hex, out var written))
                    {
                        json.WriteStringValue(hex[..written]);
                    }
                    else
                    {
                        json.WriteStringValue(Convert.ToHexString(encoded));
                    }

                    json.WriteNumberValue(1);
                }
                else
                {
                    json.WriteStringValue(ids[i]);
                    json.WriteNumberValue(0);
                }

                json.WriteStringValue(stamps[i]);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
