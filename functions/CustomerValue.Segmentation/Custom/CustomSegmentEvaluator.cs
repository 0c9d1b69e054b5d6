using System.Collections.Concurrent;
using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// Evaluates a set of custom segments for many profiles. A recompute cannot keep whole profiles in memory, and the
/// built-in segments and this run's value are only known after the scan, so evaluation is split in two: during the scan
/// <see cref="Capture"/> keeps only the fields the rules read (without <c>value</c> and <c>segments</c>); after the run has
/// scored and decided the built-in segments, <see cref="Evaluate"/> adds this run's value, those segments and <c>now</c>.
/// Safe to call from many threads at once.
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

        return matches ?? (IReadOnlyList<SegmentMatch>)[];
    }

    /// <summary>Per segment: how many profiles its rule failed on, and the first error (no personal data: CEL's message).</summary>
    public IReadOnlyList<string> Errors() =>
        [.. _errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: the rule failed on {e.Value.Count} profiles (left out), first: {e.Value.First}")];

    private static readonly IReadOnlyDictionary<string, object?> EmptyCapture = new Dictionary<string, object?>();
}
