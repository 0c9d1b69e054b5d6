using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CustomerValue.Storage.Documents;

/// <summary>
/// The one JSON shape of every stored document and API response: camelCase names, enums as camelCase strings,
/// nulls omitted. Both stores serialize with these options so a document reads the same from either.
/// </summary>
public static class DocumentJson
{
    /// <summary>Serializer options shared by the stores and the API.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// The same shape with every field written: stored documents leave out fields at their default value
    /// (<see cref="JsonIgnoreCondition.WhenWritingDefault"/>, e.g. an order's kind <c>sale</c>) to stay small, but an API
    /// answer spells them out so that its readers need not know the defaults.
    /// </summary>
    public static JsonSerializerOptions ApiOptions { get; } = Create(new DefaultJsonTypeInfoResolver { Modifiers = { WriteDefaults } });

    private static JsonSerializerOptions Create(IJsonTypeInfoResolver? resolver = null)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        if (resolver is not null)
        {
            options.TypeInfoResolver = resolver;
        }

        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void WriteDefaults(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true) is [JsonIgnoreAttribute { Condition: JsonIgnoreCondition.WhenWritingDefault }])
            {
                property.ShouldSerialize = null;
            }
        }
    }

    /// <summary>Serializes a body to UTF-8 JSON text.</summary>
    public static string Serialize<T>(T body) => JsonSerializer.Serialize(body, Options);

    /// <summary>Deserializes a body, failing loudly on a document that is not of the expected shape.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Stored document is null.");
}
