using System.Text.Json;

namespace CustomerValue.Functions.Host;

/// <summary>Undoes the Functions host's extra JSON encoding of binding values.</summary>
public static class BindingValue
{
    private const int MaxUnwrapDepth = 3;

    /// <summary>
    /// A string binding or metadata value. The host sends <c>"\"text\""</c> (JSON-encoded twice); a value that is
    /// only encoded once is accepted as well. Non-string values are returned as their JSON text.
    /// </summary>
    public static string? AsString(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
                {
                    try
                    {
                        return JsonSerializer.Deserialize<string>(text) ?? text;
                    }
                    catch (JsonException)
                    {
                        return text;
                    }
                }

                return text;
            default:
                return value.GetRawText();
        }
    }

    /// <summary>
    /// A JSON value that may arrive as itself, as a string holding its JSON, or as a string holding such a string
    /// (the Cosmos DB trigger's documents): returns the innermost JSON value, or null with an error message.
    /// </summary>
    public static JsonElement? AsJson(JsonElement value, out string? error)
    {
        var current = value;
        for (var depth = 0; depth <= MaxUnwrapDepth; depth++)
        {
            if (current.ValueKind != JsonValueKind.String)
            {
                error = null;
                return current;
            }

            try
            {
                using var inner = JsonDocument.Parse(current.GetString()!);
                current = inner.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                error = $"The binding value is a string that does not hold JSON: {ex.Message}";
                return null;
            }
        }

        error = $"The binding value is JSON-encoded more than {MaxUnwrapDepth} times.";
        return null;
    }
}
