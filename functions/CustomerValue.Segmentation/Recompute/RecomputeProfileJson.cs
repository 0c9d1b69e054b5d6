using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// Reads a stored profile with only the fields the recompute's second pass decides on: its order totals, engagement,
/// NPS answer, loyalty, value and segments (and whether it was merged or erased). Identities, names, consent, merges,
/// reasons and timestamps are skipped by the reader instead of being materialised (they were a third of reading a
/// profile): the write-back copies them from the stored JSON, and custom rules that read them get them from that JSON
/// too. A profile read this way is for deciding only; it is never written.
/// </summary>
internal static class RecomputeProfileJson
{
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "id", "mergedInto", "erasedAt", "orderTotals", "nps", "loyalty", "engagement", "value", "segments",
    };

    /// <summary>The shared document options, with <see cref="CustomerProfile"/> reduced to the fields kept.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>The profile for deciding, or null when the document is not an object.</summary>
    public static CustomerProfile? Read(JsonElement stored) =>
        stored.ValueKind == JsonValueKind.Object ? stored.Deserialize<CustomerProfile>(Options) : null;

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(DocumentJson.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { KeepRecomputeFields } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void KeepRecomputeFields(JsonTypeInfo type)
    {
        if (type.Type != typeof(CustomerProfile))
        {
            return;
        }

        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            // Derived fields (no setter) are skipped on reading anyway; they stay so that the type's shape is unchanged.
            if (type.Properties[i].Set is not null && !Kept.Contains(type.Properties[i].Name))
            {
                type.Properties.RemoveAt(i);
            }
        }
    }
}
