using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Kpis;

/// <summary>
/// Computes every segment's KPIs in one pass over the run's customers: add each customer with the segments the run put
/// them in (built-in and custom), then read the results. Only sums and counts are kept, so a million customers cost a
/// few numbers per segment, not a list of members.
/// </summary>
public sealed class SegmentKpiCalculator
{
    private readonly Dictionary<string, Totals> _totals = new(StringComparer.Ordinal);
    private int _buyers;

    /// <summary>Starts a run whose segments are <paramref name="segments"/>: each is reported even when empty.</summary>
    public SegmentKpiCalculator(IEnumerable<string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        foreach (var segment in segments)
        {
            _totals.TryAdd(segment, new Totals());
        }
    }

    /// <summary>Adds one customer with the segments this run puts them in.</summary>
    public void Add(SegmentInput input, IEnumerable<string> segments)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(segments);
        if (input.HasPurchased)
        {
            _buyers++;
        }

        var now = segments as IReadOnlyCollection<string> ?? [.. segments];
        foreach (var segment in now)
        {
            if (!_totals.TryGetValue(segment, out var totals))
            {
                continue; // a segment the run does not report (e.g. a custom segment deleted since)
            }

            totals.Add(input, entered: !input.PreviousSegments.Contains(segment, StringComparer.Ordinal));
        }

        foreach (var segment in input.PreviousSegments)
        {
            if (!now.Contains(segment, StringComparer.Ordinal) && _totals.TryGetValue(segment, out var totals))
            {
                totals.Left++;
            }
        }
    }

    /// <summary>The KPIs of every segment, in the order given, with custom targets evaluated.</summary>
    public IReadOnlyList<SegmentKpis> Results(IReadOnlyDictionary<string, IReadOnlyList<KpiTarget>>? targets = null) =>
        [.. _totals.Select(t => t.Value.Result(t.Key, _buyers, targets?.GetValueOrDefault(t.Key) ?? []))];

    private sealed class Totals
    {
        private int _size;
        private int _buyers;
        private int _repeatBuyers;
        private decimal _revenue12;
        private decimal _clv;
        private int _clvCount;
        private double _pAlive;
        private int _pAliveCount;
        private decimal _gross;
        private decimal _refunds;
        private long _nps;
        private int _npsCount;
        private int _entered;

        public int Left { get; set; }

        public void Add(SegmentInput input, bool entered)
        {
            _size++;
            if (input.HasPurchased)
            {
                _buyers++;
            }

            if (input.Orders >= 2)
            {
                _repeatBuyers++;
            }

            _revenue12 += input.NetRevenueLast12Months;
            if (input.PredictedClv is { } clv)
            {
                _clv += clv;
                _clvCount++;
            }

            if (input.PAlive is { } alive)
            {
                _pAlive += alive;
                _pAliveCount++;
            }

            _gross += input.GrossRevenue;
            _refunds += input.Refunds;
            if (input.Nps is { } nps)
            {
                _nps += nps;
                _npsCount++;
            }

            if (entered)
            {
                _entered++;
            }
        }

        public SegmentKpis Result(string segment, int shopBuyers, IReadOnlyList<KpiTarget> targets)
        {
            var kpis = new SegmentKpis
            {
                Segment = segment,
                Size = _size,
                ShareOfBuyers = shopBuyers == 0 ? 0 : (double)_buyers / shopBuyers,
                NetRevenue12Months = _revenue12,
                AveragePredictedClv = _clvCount == 0 ? null : decimal.Round(_clv / _clvCount, 2),
                TotalPredictedClv = _clv,
                AveragePAlive = _pAliveCount == 0 ? null : _pAlive / _pAliveCount,
                RepeatPurchaseRate = _buyers == 0 ? null : (double)_repeatBuyers / _buyers,
                ReturnRate = _gross <= 0m ? null : (double)(_refunds / _gross),
                AverageNps = _npsCount == 0 ? null : (double)_nps / _npsCount,
                Entered = _entered,
                Left = Left,
            };
            return kpis with
            {
                Targets = [.. targets.Select(t =>
                {
                    var value = kpis.Value(t.Metric);
                    var comparison = t.Comparison ?? (KpiMetrics.LowerIsBetter(t.Metric) ? KpiTarget.AtMost : KpiTarget.AtLeast);
                    return new KpiResult(t.Metric, t.Target, comparison, value, value is { } v && t.IsMet(v));
                })],
            };
        }
    }
}
