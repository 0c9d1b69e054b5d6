using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// A profile as the variables of a CEL rule: every top-level field of its <c>GET api/profiles/{id}</c> JSON is a
/// variable (<c>value</c>, <c>channels</c>, <c>acquisitionChannel</c>, …), plus <c>now</c>, the time of the
/// evaluation. Fields the JSON omits because they are null are present as <c>null</c>, so <c>nps == null</c> works and
/// a rule never fails merely because a profile lacks an answer. JSON integers become CEL ints, other numbers doubles.
/// </summary>
public static class ProfileVariables
{
    /// <summary>The variable holding the evaluation time (a CEL timestamp).</summary>
    public const string Now = "now";

    /// <summary>The variable holding the built-in segments decided in the same evaluation.</summary>
    public const string Segments = "segments";

    /// <summary>
    /// The variables of one profile. <paramref name="segments"/> replaces the stored <c>segments</c> so that a rule
    /// can build on the built-in segments of the same run (e.g. <c>'dormant' in segments</c>). With
    /// <paramref name="fields"/> (the root fields of the rules to evaluate, <see cref="CelRule.Fields"/>) only those are
    /// converted: serializing a whole profile with its order history costs far more than evaluating a rule.
    /// </summary>
    public static Dictionary<string, object?> Of(CustomerProfile profile, DateTimeOffset now, IEnumerable<string>? segments = null, IReadOnlySet<string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in ProfileSchema.Profile.Fields.Keys)
        {
            variables[field] = null;
        }

        if (fields is null)
        {
            var json = JsonSerializer.SerializeToElement(profile, DocumentJson.Options);
            foreach (var property in json.EnumerateObject())
            {
                variables[property.Name] = Convert(property.Value);
            }
        }
        else
        {
            foreach (var property in ProfileProperties)
            {
                if (fields.Contains(property.Name) && property.Get!(profile) is { } value)
                {
                    variables[property.Name] = Convert(JsonSerializer.SerializeToElement(value, property.PropertyType, DocumentJson.Options));
                }
            }
        }

        if (segments is not null)
        {
            variables[Segments] = segments.Cast<object?>().ToList();
        }

        variables[Now] = now;
        return variables;
    }

    /// <summary>
    /// Only the named root fields of a profile, converted as <see cref="Of"/> converts them (absent fields as null), without
    /// <c>now</c> or <c>segments</c>: what a recompute keeps per profile until the run has decided the built-in segments.
    /// </summary>
    public static Dictionary<string, object?> Capture(CustomerProfile profile, IReadOnlySet<string> fields)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(fields);
        var variables = new Dictionary<string, object?>(fields.Count + 3, StringComparer.Ordinal);
        foreach (var property in ProfileProperties)
        {
            if (fields.Contains(property.Name))
            {
                variables[property.Name] = property.Get!(profile) is { } value
                    ? Convert(JsonSerializer.SerializeToElement(value, property.PropertyType, DocumentJson.Options))
                    : null;
            }
        }

        return variables;
    }

    /// <summary>One root field of a profile as <see cref="Capture"/> converts it (null when absent).</summary>
    public static object? Field(CustomerProfile profile, string field)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return PropertiesByName.TryGetValue(field, out var property) && property.Get!(profile) is { } value
            ? Convert(JsonSerializer.SerializeToElement(value, property.PropertyType, DocumentJson.Options))
            : null;
    }

    /// <summary>
    /// True for a field the profile derives from others when it is written (<c>channels</c>, <c>lastOrderAt</c>, …): such
    /// a field is read from the profile, not from a stored document that another writer may have patched.
    /// </summary>
    public static bool IsDerived(string field) => PropertiesByName.TryGetValue(field, out var property) && property.Set is null;

    /// <summary>True for a root field of the profile's JSON, which <see cref="Capture"/> would convert.</summary>
    public static bool IsProfileField(string field) => PropertiesByName.ContainsKey(field);

    /// <summary>A JSON value as a rule sees it (objects as maps, integers as ints, other numbers as doubles).</summary>
    public static object? FromJson(JsonElement element) => Convert(element);

    /// <summary>Any value as a rule sees it (objects as maps of their JSON fields); null stays null.</summary>
    public static object? ToVariable<T>(T? value) => value is null ? null : Convert(JsonSerializer.SerializeToElement(value, DocumentJson.Options));

    /// <summary>The root fields a set of rules reads, for <see cref="Of"/>.</summary>
    public static IReadOnlySet<string> RootsOf(IEnumerable<CelRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.SelectMany(r => r.Fields).Select(f => f.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
    }

    private static readonly IReadOnlyList<JsonPropertyInfo> ProfileProperties =
        [.. DocumentJson.Options.GetTypeInfo(typeof(CustomerProfile)).Properties.Where(p => p.Get is not null)];

    private static readonly Dictionary<string, JsonPropertyInfo> PropertiesByName =
        ProfileProperties.ToDictionary(p => p.Name, StringComparer.Ordinal);

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Convert(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => IsInteger(element) && element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // 300.00 (a decimal amount) stays a double: amounts compare the same whatever their scale.
    private static bool IsInteger(JsonElement number) => number.GetRawText().AsSpan().IndexOfAny(".eE") < 0;
}
