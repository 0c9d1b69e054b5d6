using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// A YAML definitions file as the JSON the definitions parser reads: mappings become objects, sequences arrays, and
/// plain (unquoted) scalars numbers, booleans or null where YAML 1.2's core schema says so; quoted scalars stay text.
/// So a YAML file is validated by exactly the rules a JSON file is.
/// </summary>
internal static class YamlDefinitions
{
    /// <summary>The JSON text of the first YAML document (<c>null</c> for an empty file).</summary>
    /// <exception cref="CustomSegmentException">The text is not YAML; the problem names its line and column.</exception>
    public static string ToJson(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? "null" : ToNode(stream.Documents[0].RootNode)?.ToJsonString() ?? "null";
        }
        catch (YamlException ex)
        {
            throw new CustomSegmentException([string.Create(CultureInfo.InvariantCulture,
                $"line {ex.Start.Line}, column {ex.Start.Column}: not a definitions file: {ex.Message}")]);
        }
    }

    private static JsonNode? ToNode(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "";
                    if (obj.ContainsKey(name))
                    {
                        throw new YamlException(key.Start, key.End, $"'{name}' appears twice in one mapping");
                    }

                    obj[name] = ToNode(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(ToNode)]);
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, "aliases are not supported in definitions files");
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            null or "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonValue.Create(whole),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
