using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerValue.Storage.Documents;

/// <summary>
/// The one JSON shape of every stored document and API response: camelCase names, enums as camelCase strings,
/// nulls omitted. Both stores serialize with these options so a document reads the same from either.
/// </summary>
public static class DocumentJson
{
    /// <summary>Serializer options shared by the stores and the API.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Serializes a body to UTF-8 JSON text.</summary>
    public static string Serialize<T>(T body) => JsonSerializer.Serialize(body, Options);

    /// <summary>Deserializes a body, failing loudly on a document that is not of the expected shape.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Stored document is null.");
}
