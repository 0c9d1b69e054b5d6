using System.Globalization;
using System.Text.Json;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// Reads a definitions file (<c>Segments:DefinitionsPath</c>): JSON of the form
/// <c>{"segments": [{"name": …, "goal": …, "rule": …, "kpis": [{"metric": …, "target": …}], "destinations": […],
/// "holdoutShare": …}]}</c>, or the same in YAML (<see cref="YamlDefinitions"/>). A file with any invalid definition is refused as a whole, naming every problem, so that a
/// typo never silently drops one segment while the others run.
/// </summary>
public static class CustomSegmentDefinitions
{
    /// <summary>Parses and validates definitions.</summary>
    /// <exception cref="CustomSegmentException">The file is refused; every problem is listed with where it is.</exception>
    public static IReadOnlyList<CustomSegment> Parse(string json) => Parse(json, fromYaml: false);

    /// <summary>Parses and validates definitions written in YAML (the same fields as the JSON form).</summary>
    /// <exception cref="CustomSegmentException">The file is refused; every problem is listed with where it is.</exception>
    public static IReadOnlyList<CustomSegment> ParseYaml(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return Parse(YamlDefinitions.ToJson(yaml), fromYaml: true);
    }

    private static List<CustomSegment> Parse(string json, bool fromYaml)
    {
        ArgumentNullException.ThrowIfNull(json);
        DefinitionsFile? file;
        try
        {
            file = JsonSerializer.Deserialize<DefinitionsFile>(json, DocumentJson.Options);
        }
        catch (JsonException ex)
        {
            // Positions in JSON converted from YAML mean nothing to the author: the path says where instead.
            var where = ex.LineNumber is { } line && !fromYaml
                ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}")
                : "the file";
            throw new CustomSegmentException([$"{where}{(string.IsNullOrEmpty(ex.Path) ? "" : $" ({ex.Path})")}: not a definitions file: {FirstSentence(ex.Message)}"]);
        }

        if (file?.Segments is null)
        {
            throw new CustomSegmentException(["segments: the file must be an object with a \"segments\" array"]);
        }

        var problems = new List<string>();
        var segments = new List<CustomSegment>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Segments.Count; i++)
        {
            var definition = file.Segments[i];
            var label = string.Create(CultureInfo.InvariantCulture, $"segments[{i}]{(definition?.Name is { } n ? $" ({n})" : "")}");
            if (definition is null)
            {
                problems.Add($"{label}: null");
                continue;
            }

            var found = CustomSegmentValidation.Problems(definition, out _);
            problems.AddRange(found.Select(p => $"{label}.{p}"));
            if (!names.Add(definition.Name ?? ""))
            {
                problems.Add($"{label}.name: '{definition.Name}' is defined twice");
            }

            if (found.Count == 0)
            {
                segments.Add(CustomSegment.Create(definition));
            }
        }

        return problems.Count == 0 ? segments : throw new CustomSegmentException(problems);
    }

    /// <summary>Reads and parses a definitions file: YAML when it ends in <c>.yaml</c> or <c>.yml</c>, JSON otherwise.</summary>
    public static async Task<IReadOnlyList<CustomSegment>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return IsYaml(path) ? ParseYaml(text) : Parse(text);
    }

    /// <summary>True for a YAML file name.</summary>
    public static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static string FirstSentence(string message) => message.Split(". ", 2)[0];

    private sealed record DefinitionsFile(IReadOnlyList<CustomSegmentDefinition>? Segments);
}
