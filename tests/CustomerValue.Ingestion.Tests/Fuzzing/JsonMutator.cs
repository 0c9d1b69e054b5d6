using System.Text;
using System.Text.Json.Nodes;

namespace CustomerValue.Ingestion.Tests.Fuzzing;

/// <summary>One edit of a JSON document: what to do, to which node (by document order), with which replacement.</summary>
/// <param name="Kind">Replace, remove, rename, wrap in an array, truncate the text, or insert a byte.</param>
/// <param name="Target">Which node, or which position of the text (taken modulo the count).</param>
/// <param name="Value">Which replacement value or byte (taken modulo the pool).</param>
public sealed record JsonMutation(int Kind, int Target, int Value)
{
    /// <summary>The number of kinds.</summary>
    public const int Kinds = 6;
}

/// <summary>
/// Turns a valid webhook body into a hostile one: values of the wrong type, out-of-range and unreadable amounts,
/// impossible dates, unpaired surrogates, huge strings, missing and renamed fields, truncated text and stray bytes —
/// the inputs that once produced a 500 or a silently zeroed order.
/// </summary>
public static class JsonMutator
{
    // System.Text.Json will not write an unpaired surrogate, so the tree holds this marker (written back exactly so,
    // control characters escaped) and the text gets the escape.
    private const string LoneSurrogate = "\"\\u0001lone-surrogate\\u0001\"";

    /// <summary>Replacement values, as JSON text.</summary>
    public static readonly string[] Pool =
    [
        "null", "true", "false", "0", "-1", "-0", "1e400", "-1e400", "1e-400", "0.0000001",
        "79228162514264337593543950336", "12345678901234567890", "1000000000.01", "\"-5.00\"",
        "\"abc\"", "\"\"", "\"NaN\"", "\"Infinity\"", "\"1,234.56\"", "\"1.2E+03\"", "\"ten 5\"",
        "{}", "[]", "[[[[[]]]]]", "{\"amount\":\"1\"}", "[{\"price\":\"abc\"}]",
        "\"2025-13-45T99:99:99Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"", "\"yesterday\"",
        LoneSurrogate, "\"a\\u0000b\"", "\"someone@example.com\"", "\"+44 20 7946 0958\"",
        "\"" + new string('x', 100_000) + "\"",
    ];

    /// <summary>Applies <paramref name="mutations"/> to <paramref name="body"/> (valid JSON) and returns the bytes to send.</summary>
    public static byte[] Apply(byte[] body, IReadOnlyList<JsonMutation> mutations)
    {
        var root = JsonNode.Parse(body)!;
        var tail = new List<JsonMutation>();
        foreach (var m in mutations)
        {
            if (m.Kind >= 4)
            {
                tail.Add(m); // text-level edits come after the tree edits
                continue;
            }

            var nodes = Nodes(root);
            if (nodes.Count <= 1)
            {
                continue;
            }

            var (node, parent, name) = nodes[1 + (m.Target % (nodes.Count - 1))];
            switch (m.Kind)
            {
                case 0:
                    Replace(parent, name, node, JsonNode.Parse(Pool[m.Value % Pool.Length]));
                    break;
                case 1 when parent is JsonObject o:
                    o.Remove(name!);
                    break;
                case 2 when parent is JsonObject o && !o.ContainsKey(name + "_x"):
                    o.Remove(name!);
                    o[name + "_x"] = node;
                    break;
                case 3:
                    Replace(parent, name, node, new JsonArray(node?.DeepClone()));
                    break;
            }
        }

        string text = root.ToJsonString().Replace(LoneSurrogate, "\"\\ud800\"", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        foreach (var m in tail)
        {
            int at = m.Target % (bytes.Count + 1);
            if (m.Kind == 4)
            {
                bytes.RemoveRange(at, bytes.Count - at);
            }
            else
            {
                bytes.Insert(at, (byte)(m.Value % 256));
            }
        }

        return [.. bytes];
    }

    private static void Replace(JsonNode? parent, string? name, JsonNode? node, JsonNode? replacement)
    {
        if (parent is JsonObject o)
        {
            o[name!] = replacement;
        }
        else if (parent is JsonArray a && node is not null)
        {
            int index = a.IndexOf(node);
            if (index >= 0)
            {
                a[index] = replacement;
            }
        }
    }

    /// <summary>Every node in document order with its parent and property name (the root first).</summary>
    private static List<(JsonNode? Node, JsonNode? Parent, string? Name)> Nodes(JsonNode root)
    {
        var all = new List<(JsonNode?, JsonNode?, string?)> { (root, null, null) };
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        all.Add((child, o, key));
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a.ToList())
                    {
                        all.Add((child, a, null));
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(root);
        return all;
    }
}
