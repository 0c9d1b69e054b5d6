using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// A rule's variables that also answer a dotted field path (<c>value.predictedClv</c>) with the field's value. The CEL
/// library evaluates a selection by first asking for the whole dotted text as a variable; when that misses, it searches
/// every known protobuf enum for the name (building lists of descriptors each time) and then evaluates the owner again,
/// which was about a quarter of a custom rule's cost per profile. Answering the path here gives the value the library
/// would have found, without the search. Only a path whose every owner is a map holding the next name is answered; any
/// other (a missing field, a null owner) misses, and the library goes its own way, with its own errors. Rules that bind
/// macro variables (<c>orders.exists(o, o.total &gt; 10)</c>) do not use it: a bound name can hide a profile field of the
/// same name, which only the library knows.
/// </summary>
internal sealed class PathVariables(IDictionary<string, object?> variables) : IDictionary<string, object?>
{
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set => variables[key] = value;
    }

    public ICollection<string> Keys => variables.Keys;

    public ICollection<object?> Values => variables.Values;

    public int Count => variables.Count;

    public bool IsReadOnly => variables.IsReadOnly;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (variables.TryGetValue(key, out value))
        {
            return true;
        }

        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !variables.TryGetValue(key[..dot], out var current))
        {
            value = null;
            return false;
        }

        var rest = key.AsSpan(dot + 1);
        while (true)
        {
            var next = rest.IndexOf('.');
            var name = next < 0 ? rest : rest[..next];
            // The same test the library applies to the owner of a selection: a map of names to values.
            if (name.IsEmpty || current is not Dictionary<string, object?> map || !Find(map, name, out current))
            {
                value = null;
                return false;
            }

            if (next < 0)
            {
                value = current;
                return true;
            }

            rest = rest[(next + 1)..];
        }
    }

    private static bool Find(Dictionary<string, object?> map, ReadOnlySpan<char> name, out object? value) =>
        map.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup) ? lookup.TryGetValue(name, out value) : map.TryGetValue(name.ToString(), out value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public void Add(string key, object? value) => variables.Add(key, value);

    public void Add(KeyValuePair<string, object?> item) => variables.Add(item);

    public void Clear() => variables.Clear();

    public bool Contains(KeyValuePair<string, object?> item) => variables.Contains(item);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => variables.CopyTo(array, arrayIndex);

    public bool Remove(string key) => variables.Remove(key);

    public bool Remove(KeyValuePair<string, object?> item) => variables.Remove(item);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => variables.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
