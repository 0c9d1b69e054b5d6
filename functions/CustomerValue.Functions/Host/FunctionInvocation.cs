using System.Text.Json;

namespace CustomerValue.Functions.Host;

/// <summary>
/// One invocation of a non-HTTP function as the Functions host sends it to a custom handler:
/// <c>POST /{FunctionName}</c> with <c>{"Data": {binding: value}, "Metadata": {name: value}}</c>.
/// The host serializes every binding value that is not an object (strings, URIs) with JSON once more before
/// putting it in the payload, so a string arrives as <c>"\"text\""</c>; <see cref="BindingValue"/> undoes that.
/// </summary>
public sealed class FunctionInvocation
{
    private FunctionInvocation(JsonElement data, JsonElement metadata, string? invocationId)
    {
        Data = data;
        Metadata = metadata;
        InvocationId = invocationId;
    }

    /// <summary>The header carrying the host's invocation id.</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    /// <summary>Input binding values by binding name.</summary>
    public JsonElement Data { get; }

    /// <summary>Trigger metadata (blob name and URI, sys, ...).</summary>
    public JsonElement Metadata { get; }

    /// <summary>The host's invocation id, when it sent one.</summary>
    public string? InvocationId { get; }

    /// <summary>Parses a request body; returns an error message naming the problem when it is not an invocation.</summary>
    public static FunctionInvocation? TryParse(ReadOnlyMemory<byte> body, string? invocationId, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            error = $"The invocation body is not valid JSON: {ex.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"The invocation body must be a JSON object with \"Data\" and \"Metadata\", not {root.ValueKind}.";
                return null;
            }

            var data = Property(root, "Data");
            if (data is not { ValueKind: JsonValueKind.Object })
            {
                error = "The invocation has no \"Data\" object.";
                return null;
            }

            var metadata = Property(root, "Metadata") is { ValueKind: JsonValueKind.Object } m ? m : EmptyObject();
            error = null;
            return new FunctionInvocation(data.Value.Clone(), metadata.Clone(), invocationId);
        }
    }

    /// <summary>The value of an input binding, if present.</summary>
    public JsonElement? Binding(string name) => Property(Data, name);

    /// <summary>A metadata value decoded to a plain string (see <see cref="BindingValue.AsString"/>).</summary>
    public string? MetadataString(string name) => Property(Metadata, name) is { } value ? BindingValue.AsString(value) : null;

    /// <summary>Case-insensitive property lookup: the host's casing of metadata keys is not guaranteed.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static JsonElement EmptyObject()
    {
        using var empty = JsonDocument.Parse("{}");
        return empty.RootElement.Clone();
    }
}
