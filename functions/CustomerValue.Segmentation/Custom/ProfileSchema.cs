using System.Text.Json.Serialization.Metadata;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// The shape of a profile as <c>GET api/profiles/{id}</c> returns it (<see cref="DocumentJson"/>), read from the
/// serializer's own contract so the fields a rule may name can never drift from the JSON it is evaluated on.
/// </summary>
public sealed class ProfileSchema
{
    private ProfileSchema(SchemaKind kind)
    {
        Kind = kind;
    }

    /// <summary>The schema of the profile document, plus the variables a rule sees beside it.</summary>
    public static ProfileSchema Profile { get; } = Build();

    /// <summary>Object, list or scalar.</summary>
    public SchemaKind Kind { get; }

    /// <summary>The fields of an object, by JSON name.</summary>
    public IReadOnlyDictionary<string, ProfileSchema> Fields { get; private set; } = new Dictionary<string, ProfileSchema>(StringComparer.Ordinal);

    /// <summary>The element of a list.</summary>
    public ProfileSchema? Element { get; private set; }

    private static readonly ProfileSchema Scalar = new(SchemaKind.Scalar);

    private static ProfileSchema Build()
    {
        var profile = Describe(typeof(CustomerProfile), []);
        var fields = new Dictionary<string, ProfileSchema>(profile.Fields, StringComparer.Ordinal)
        {
            [ProfileVariables.Now] = Scalar,
        };
        // Orders live in documents of their own, which rules never read; only profiles stored before that hold the old list.
        fields.Remove("orderHistory");
        profile.Fields = fields;
        return profile;
    }

    private static ProfileSchema Describe(Type type, Dictionary<Type, ProfileSchema> seen)
    {
        if (seen.TryGetValue(type, out var known))
        {
            return known;
        }

        var info = DocumentJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                var schema = new ProfileSchema(SchemaKind.Object);
                seen[type] = schema;
                schema.Fields = info.Properties.Where(p => p.Get is not null)
                    .ToDictionary(p => p.Name, p => Describe(p.PropertyType, seen), StringComparer.Ordinal);
                return schema;
            case JsonTypeInfoKind.Enumerable:
                return new ProfileSchema(SchemaKind.List) { Element = Describe(info.ElementType!, seen) };
            case JsonTypeInfoKind.Dictionary:
                return new ProfileSchema(SchemaKind.Map);
            default:
                return Scalar;
        }
    }
}

/// <summary>What a schema node holds.</summary>
public enum SchemaKind
{
    /// <summary>A string, number, boolean or timestamp text.</summary>
    Scalar,

    /// <summary>An object with known fields.</summary>
    Object,

    /// <summary>A list.</summary>
    List,

    /// <summary>A map with any keys.</summary>
    Map,
}
