using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// Writes a run's decision into a stored profile without turning the document into a <see cref="CustomerProfile"/> and
/// back: the profile is read as JSON, every property is copied byte for byte except the four the run owns (<c>value</c>,
/// <c>segments</c>, <c>segmentsRunId</c>, <c>segmentReasons</c>), and those are written anew. Orders and identities that
/// arrived while the run was under way are kept, because the copy is of the version read just before the write (with
/// its ETag checked). Copying JSON tokens costs a fraction of materialising a profile with its order history.
/// </summary>
internal static class ProfileWriteBack
{
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText SegmentsName = JsonEncodedText.Encode("segments");
    private static readonly JsonEncodedText SegmentsRunIdName = JsonEncodedText.Encode("segmentsRunId");
    private static readonly JsonEncodedText SegmentReasonsName = JsonEncodedText.Encode("segmentReasons");

    /// <summary>
    /// The profile with the run's decision; null (write nothing) when it is gone, merged into another or erased since
    /// the scan: the next run scores its survivor.
    /// </summary>
    public static RawJson? Apply(RawJson? current, IReadOnlyList<string> segments, IReadOnlyList<Segments.SegmentMatch> matches,
        CustomerValueScore value, string runId)
    {
        if (current is null || current.Element is not { ValueKind: JsonValueKind.Object } profile
            || IsSet(profile, "mergedInto") || IsSet(profile, "erasedAt"))
        {
            return null;
        }

        var sameSegments = profile.TryGetProperty(SegmentsName.EncodedUtf8Bytes, out var stored) && SameSegments(stored, segments);
        string? segmentsRunId = sameSegments && profile.TryGetProperty(SegmentsRunIdName.EncodedUtf8Bytes, out var kept) && kept.ValueKind == JsonValueKind.String
            ? kept.GetString()
            : sameSegments ? null : runId;
        // The run's fields are written as an object of their own, then spliced after the stored document's other properties,
        // which are copied as raw bytes (no token is re-encoded).
        var owned = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(owned))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(SegmentsName);
            foreach (var segment in segments)
            {
                writer.WriteStringValue(segment);
            }

            writer.WriteEndArray();
            if (segmentsRunId is not null)
            {
                writer.WriteString(SegmentsRunIdName, segmentsRunId);
            }

            writer.WriteStartObject(SegmentReasonsName);
            foreach (var match in matches)
            {
                writer.WriteString(match.Segment, match.Reason);
            }

            writer.WriteEndObject();
            writer.WritePropertyName(ValueName);
            JsonSerializer.Serialize(writer, value, DocumentJson.Options);
            writer.WriteEndObject();
        }

        var raw = JsonMarshal.GetRawUtf8Value(profile);
        var buffer = new ArrayBufferWriter<byte>(raw.Length + owned.WrittenCount);
        buffer.Write("{"u8);
        var copied = CopyOtherProperties(raw, buffer);
        if (copied > 0)
        {
            buffer.Write(","u8);
        }

        buffer.Write(owned.WrittenSpan[1..]);
        return new RawJson(buffer.WrittenMemory);
    }

    /// <summary>
    /// Copies every top-level property of the stored object except the run's four, comma-separated and byte for byte;
    /// returns how many were copied.
    /// </summary>
    private static int CopyOtherProperties(ReadOnlySpan<byte> profile, ArrayBufferWriter<byte> buffer)
    {
        var reader = new Utf8JsonReader(profile);
        reader.Read();
        var copied = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var owned = reader.ValueTextEquals(ValueName.EncodedUtf8Bytes) || reader.ValueTextEquals(SegmentsName.EncodedUtf8Bytes)
                || reader.ValueTextEquals(SegmentsRunIdName.EncodedUtf8Bytes) || reader.ValueTextEquals(SegmentReasonsName.EncodedUtf8Bytes);
            reader.Read();
            reader.Skip();
            if (!owned)
            {
                if (copied++ > 0)
                {
                    buffer.Write(","u8);
                }

                buffer.Write(profile[start..(int)reader.BytesConsumed]);
            }
        }

        return copied;
    }

    private static bool IsSet(JsonElement profile, string name) =>
        profile.TryGetProperty(name, out var property) && property.ValueKind != JsonValueKind.Null;

    private static bool SameSegments(JsonElement stored, IReadOnlyList<string> segments)
    {
        if (stored.ValueKind != JsonValueKind.Array || stored.GetArrayLength() != segments.Count)
        {
            return false;
        }

        var i = 0;
        foreach (var item in stored.EnumerateArray())
        {
            if (!item.ValueEquals(segments[i++]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// A stored document as raw JSON: read as a <see cref="JsonElement"/>, written as the UTF-8 bytes given, so a write-back
/// moves bytes instead of objects.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson
{
    /// <summary>A document to write.</summary>
    public RawJson(ReadOnlyMemory<byte> utf8) => Utf8 = utf8;

    /// <summary>A document as read.</summary>
    public RawJson(JsonElement element) => Element = element;

    /// <summary>The document read, or null for one built to be written.</summary>
    public JsonElement? Element { get; }

    /// <summary>The document to write (when not read).</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonElement.ParseValue(ref reader));

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options)
        {
            if (value.Element is { } element)
            {
                element.WriteTo(writer);
            }
            else
            {
                writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
            }
        }
    }
}
