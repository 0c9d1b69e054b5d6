using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// The variables of one rule evaluation where some are only converted when a rule reads them. Custom rules short-circuit
/// (<c>'store' in channels &amp;&amp; …</c>, <c>nps != null &amp;&amp; … value.predictedClv</c>), so most profiles never reach
/// most fields; converting a field into CEL values costs more than evaluating a rule, so a recompute converts only what
/// is read. Enumerating, counting or copying the variables converts every pending one first, so a reader that walks the
/// whole dictionary sees the same values as with eager conversion. One evaluation at a time (not thread-safe).
/// </summary>
internal sealed class LazyVariables : IDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _values;
    private readonly HashSet<string> _pending;
    private readonly Func<string, object?> _convert;

    /// <summary>Variables with <paramref name="values"/> set and <paramref name="pending"/> converted by <paramref name="convert"/> on first read.</summary>
    public LazyVariables(Dictionary<string, object?> values, IEnumerable<string> pending, Func<string, object?> convert)
    {
        _values = values;
        _pending = new HashSet<string>(pending.Where(name => !values.ContainsKey(name)), StringComparer.Ordinal);
        _convert = convert;
    }

    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);
        set
        {
            _pending.Remove(key);
            _values[key] = value;
        }
    }

    public ICollection<string> Keys => Resolved().Keys;

    public ICollection<object?> Values => Resolved().Values;

    public int Count => _values.Count + _pending.Count;

    public bool IsReadOnly => false;

    public void Add(string key, object? value)
    {
        if (ContainsKey(key))
        {
            throw new ArgumentException($"A variable '{key}' already exists.", nameof(key));
        }

        _values.Add(key, value);
    }

    public void Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

    public void Clear()
    {
        _pending.Clear();
        _values.Clear();
    }

    public bool Contains(KeyValuePair<string, object?> item) =>
        TryGetValue(item.Key, out var value) && EqualityComparer<object?>.Default.Equals(value, item.Value);

    public bool ContainsKey(string key) => _values.ContainsKey(key) || _pending.Contains(key);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)Resolved()).CopyTo(array, arrayIndex);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => Resolved().GetEnumerator();

    public bool Remove(string key) => _pending.Remove(key) | _values.Remove(key);

    public bool Remove(KeyValuePair<string, object?> item) => Contains(item) && Remove(item.Key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_values.TryGetValue(key, out value))
        {
            return true;
        }

        if (!_pending.Remove(key))
        {
            return false;
        }

        value = _convert(key);
        _values[key] = value;
        return true;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Every variable converted.</summary>
    private Dictionary<string, object?> Resolved()
    {
        foreach (var key in _pending.ToList())
        {
            TryGetValue(key, out _);
        }

        return _values;
    }
}
