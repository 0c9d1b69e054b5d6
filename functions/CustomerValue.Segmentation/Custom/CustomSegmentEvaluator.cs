using System.Collections.Concurrent;
using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// Evaluates a set of custom segments for many profiles. A recompute cannot keep whole profiles in memory, and the
/// built-in segments and this run's value are only known after the scan, so evaluation is split in two: during the scan
/// <see cref="Capture"/> keeps only the fields the rules read (without <c>value</c> and <c>segments</c>); after the run has
/// scored and decided the built-in segments, <c>Evaluate</c> adds this run's value, those segments and <c>now</c>. The
/// recompute, which has each profile's stored JSON at hand, evaluates from that instead and converts only the fields a
/// rule reaches. Safe to call from many threads at once.
/// </summary>
public sealed class CustomSegmentEvaluator
{
    private const string ValueField = "value";
    private readonly HashSet<string> _captured;
    private readonly bool _readsValue;
    private readonly ConcurrentDictionary<string, (int Count, string First)> _errors = new(StringComparer.Ordinal);

    /// <summary>Evaluates <paramref name="segments"/>.</summary>
    public CustomSegmentEvaluator(IReadOnlyList<CustomSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        Segments = segments;
        var roots = ProfileVariables.RootsOf(segments.Select(s => s.Rule));
        _readsValue = roots.Contains(ValueField);
        _captured = [.. roots.Where(r => r is not (ValueField or ProfileVariables.Segments or ProfileVariables.Now))];
    }

    /// <summary>The segments evaluated.</summary>
    public IReadOnlyList<CustomSegment> Segments { get; }

    /// <summary>True without custom segments: nothing needs capturing.</summary>
    public bool IsEmpty => Segments.Count == 0;

    /// <summary>The fields of the profile the rules read, besides its value and segments.</summary>
    public IReadOnlyDictionary<string, object?> Capture(CustomerProfile profile) =>
        IsEmpty ? EmptyCapture : ProfileVariables.Capture(profile, _captured);

    /// <summary>
    /// The custom segments the profile belongs to, with reasons. <paramref name="value"/> is the value of this evaluation
    /// (the run's new score), <paramref name="builtInSegments"/> the built-in segments decided with it. A rule that fails
    /// on the profile leaves it out and is counted in <see cref="Errors"/>.
    /// </summary>
    public IReadOnlyList<SegmentMatch> Evaluate(string profileId, IReadOnlyDictionary<string, object?> captured, CustomerValueScore? value,
        IEnumerable<string> builtInSegments, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(captured);
        ArgumentNullException.ThrowIfNull(builtInSegments);
        if (IsEmpty)
        {
            return [];
        }

        var variables = new Dictionary<string, object?>(captured, StringComparer.Ordinal)
        {
            [ProfileVariables.Segments] = builtInSegments.Cast<object?>().ToList(),
            [ProfileVariables.Now] = now,
        };
        if (_readsValue)
        {
            variables[ValueField] = ProfileVariables.ToVariable(value);
        }

        return EvaluateAll(profileId, variables);
    }

    /// <summary>
    /// The custom segments of a profile as stored: <paramref name="stored"/> is its document as read (the recompute's scan
    /// keeps it for the write-back anyway), <paramref name="profile"/> the same document deserialized, possibly without the
    /// fields the built-in rules do not read. A field is converted only when a rule reads it: fields the profile derives
    /// (<c>channels</c>, <c>lastOrderAt</c>, …) from <paramref name="profile"/>, the others from the stored JSON, and a field
    /// the JSON leaves out (a null, or a document older than the field) as a profile read from that JSON has it: its
    /// default. Members and reasons are the same as the other overload gives for the whole profile.
    /// </summary>
    public IReadOnlyList<SegmentMatch> Evaluate(string profileId, JsonElement stored, CustomerProfile profile, CustomerValueScore? value,
        IEnumerable<string> builtInSegments, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(builtInSegments);
        if (IsEmpty)
        {
            return [];
        }

        var values = new Dictionary<string, object?>(_captured.Count + 8, StringComparer.Ordinal)
        {
            [ProfileVariables.Segments] = builtInSegments.Cast<object?>().ToList(),
            [ProfileVariables.Now] = now,
        };
        var fields = _captured.Where(ProfileVariables.IsProfileField);
        var pending = _readsValue ? fields.Append(ValueField) : fields;
        var variables = new LazyVariables(values, pending, field =>
            field == ValueField ? ProfileVariables.ToVariable(value)
            : ProfileVariables.IsDerived(field) ? ProfileVariables.Field(profile, field)
            : stored.TryGetProperty(field, out var json) ? ProfileVariables.FromJson(json)
            : ProfileVariables.Field(Defaults, field));
        return EvaluateAll(profileId, variables);
    }

    private List<SegmentMatch> EvaluateAll(string profileId, IDictionary<string, object?> variables)
    {
        List<SegmentMatch>? matches = null;
        foreach (var segment in Segments)
        {
            if (segment.Evaluate(profileId, variables, out var error) is { } match)
            {
                (matches ??= []).Add(match);
            }
            else if (error is not null)
            {
                _errors.AddOrUpdate(segment.Name, _ => (1, error), (_, e) => (e.Count + 1, e.First));
            }
        }

        return matches ?? [];
    }

    /// <summary>Per segment: how many profiles its rule failed on, and the first error (no personal data: CEL's message).</summary>
    public IReadOnlyList<string> Errors() =>
        [.. _errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: the rule failed on {e.Value.Count} profiles (left out), first: {e.Value.First}")];

    /// <summary>A profile with every field at its default: what reading a document without a field leaves in it.</summary>
    private static readonly CustomerProfile Defaults = new() { Id = string.Empty };

    private static readonly IReadOnlyDictionary<string, object?> EmptyCapture = new Dictionary<string, object?>();
}
