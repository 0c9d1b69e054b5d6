using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;

namespace CustomerValue.Ingestion.Json;

/// <summary>
/// Tolerant readers over <see cref="JsonElement"/>: a field that is absent, null or of an unexpected kind reads as
/// null instead of throwing, because shops send numbers as strings, strings as numbers and nulls everywhere.
/// The <c>Required…</c> readers throw <see cref="PayloadException"/>, which the parsers turn into a failure result.
/// </summary>
internal static class JsonFields
{
    private const NumberStyles MoneyStyle =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    /// <summary>The child object named <paramref name="name"/>, or null.</summary>
    public static JsonElement? Object(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    /// <summary>The nested object at a path of property names, or null.</summary>
    public static JsonElement? Object(this JsonElement element, params ReadOnlySpan<string> path)
    {
        JsonElement? current = element;
        foreach (var name in path)
        {
            current = current?.Object(name);
        }

        return current;
    }

    /// <summary>The items of the array named <paramref name="name"/>; empty when it is absent or not an array.</summary>
    public static IEnumerable<JsonElement> Array(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    /// <summary>A string or number field as trimmed text (numbers keep their exact digits); null when empty.</summary>
    public static string? String(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>A decimal written as a JSON number or as a numeric string (<c>"12.50"</c>); null otherwise.</summary>
    public static decimal? Decimal(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDecimal(out var number) ? number : null;
        }

        return value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : null;
    }

    /// <summary>
    /// An amount of money, written as a JSON number or as a plain numeric string (<c>"12.50"</c>, <c>"-3"</c>; no
    /// exponent, no group separators). Null when the field is absent, null or an empty string. Anything else that is
    /// not such a number (<c>"abc"</c>, <c>"NaN"</c>, <c>1e400</c>, <c>true</c>, <c>{}</c>), an amount further from zero
    /// than <see cref="OrderAmounts.MaxPerOrder"/>, and a negative amount unless <paramref name="allowNegative"/>,
    /// throws a <see cref="PayloadException"/> naming <paramref name="path"/>: money that cannot be read must be
    /// refused, never stored as 0, because a shop does not resend an accepted delivery.
    /// </summary>
    /// <param name="element">The object holding the field.</param>
    /// <param name="name">The field's name in <paramref name="element"/>.</param>
    /// <param name="context">The payload, for the message (e.g. <c>shopify orders/create</c>).</param>
    /// <param name="path">The field's full path for the message; <paramref name="name"/> when null.</param>
    /// <param name="allowNegative">True for amounts that are negative by nature (adjustments, WooCommerce refunds).</param>
    public static decimal? Money(this JsonElement element, string name, string context, string? path = null, bool allowNegative = false)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        decimal amount;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDecimal(out amount):
                break;
            case JsonValueKind.String when string.IsNullOrWhiteSpace(value.GetString()):
                return null;
            case JsonValueKind.String when decimal.TryParse(value.GetString(), MoneyStyle, CultureInfo.InvariantCulture, out amount):
                break;
            default:
                throw new PayloadException($"{context}: field '{path ?? name}' is not an amount (a number or a numeric string such as \"12.50\").");
        }

        if (!OrderAmounts.IsWithinLimit(amount))
        {
            throw new PayloadException(TooLarge(context, $"field '{path ?? name}'"));
        }

        return amount >= 0 || allowNegative
            ? amount
            : throw new PayloadException($"{context}: field '{path ?? name}' must not be negative.");
    }

    /// <summary>The message for an amount above <see cref="OrderAmounts.MaxPerOrder"/>; <paramref name="what"/> names it.</summary>
    public static string TooLarge(string context, string what) =>
        $"{context}: {what} is more than {OrderAmounts.MaxText}, the most one order may carry.";

    /// <summary>A boolean written as true/false or as "true"/"false"/"yes"/"no"/"1"/"0"; null otherwise.</summary>
    public static bool? Boolean(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => value.GetString()?.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "YES" or "1" => true,
                "FALSE" or "NO" or "0" => false,
                _ => null,
            },
            JsonValueKind.Number => value.TryGetInt32(out var n) ? n != 0 : null,
            _ => null,
        };
    }

    /// <summary>
    /// An ISO 8601 timestamp. One without an offset is taken as UTC (WooCommerce's <c>*_gmt</c> fields carry none).
    /// Unix seconds written as a number are accepted too.
    /// </summary>
    public static DateTimeOffset? Timestamp(this JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is > 0 and < 253_402_300_800)
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(
                value.GetString(),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
                out var parsed)
                ? parsed
                : null;
    }

    /// <summary>A string or number field that must be present.</summary>
    public static string RequiredString(this JsonElement element, string name, string context) =>
        element.String(name) ?? throw new PayloadException($"{context}: required field '{name}' is missing or empty.");

    /// <summary>A timestamp field that must be present and readable.</summary>
    public static DateTimeOffset RequiredTimestamp(this JsonElement element, string name, string context) =>
        element.Timestamp(name) ?? throw new PayloadException($"{context}: required field '{name}' is missing or not an ISO 8601 timestamp.");

    /// <summary>
    /// Parses a body, turning malformed JSON into a <see cref="PayloadException"/> that names the position. Text that
    /// is no valid Unicode (bytes that are not UTF-8, or an escaped unpaired surrogate such as <c>\ud800</c>) is refused
    /// here as well: <see cref="JsonDocument"/> accepts it and throws only when a string is read, which would
    /// otherwise surface as an <see cref="InvalidOperationException"/> from whichever field is read first.
    /// </summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> body, string context)
    {
        if (!Utf8.IsValid(body.Span))
        {
            throw new PayloadException($"{context}: the body is not valid UTF-8 (byte {FirstInvalidUtf8(body.Span) + 1}).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            // The exception message can quote the body; only the position is repeated here.
            throw new PayloadException(
                $"{context}: malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1} of that line.");
        }

        try
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadException($"{context}: the body must be a JSON object.");
            }

            RefuseUnpairedSurrogates(body.Span, context);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    // Only escaped strings can hold a surrogate escape, and bodies rarely escape anything, so most bodies skip the walk.
    private static void RefuseUnpairedSurrogates(ReadOnlySpan<byte> body, string context)
    {
        if (body.IndexOf("\\u"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw new PayloadException($"{context}: the string at byte {reader.TokenStartIndex + 1} escapes an unpaired UTF-16 surrogate.");
                }
            }
        }
    }
}
