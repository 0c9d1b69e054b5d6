using System.Collections.Concurrent;

namespace CustomerValue.Functions.Functions.Dashboard.Charts;

/// <summary>
/// Rendered charts by what they show. Every dashboard chart is drawn from run records, which change only when a
/// recompute records a new run, so a chart keyed by its name and the run id is drawn once per run instead of on every
/// request (drawing costs tens of milliseconds; reading the cache, nothing).
/// </summary>
public sealed class ChartCache
{
    // Charts of the latest run or two are all that pages ask for; a bound keeps an old run's charts from piling up.
    private const int MaxEntries = 64;
    private readonly ConcurrentDictionary<string, string> _charts = new(StringComparer.Ordinal);

    /// <summary>The chart for <paramref name="key"/>, drawn by <paramref name="render"/> the first time.</summary>
    public string GetOrRender(string key, Func<string> render)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(render);
        if (_charts.TryGetValue(key, out var svg))
        {
            return svg;
        }

        if (_charts.Count >= MaxEntries)
        {
            _charts.Clear();
        }

        return _charts.GetOrAdd(key, _ => render());
    }
}
