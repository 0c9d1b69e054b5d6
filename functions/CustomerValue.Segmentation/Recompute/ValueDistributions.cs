namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// How a run's predictions are spread over the buyers: histograms of predicted 12-month CLV and of P(alive), recorded
/// on the run so that a chart of them is one point read instead of a scan of every profile.
/// </summary>
/// <param name="PredictedClv">Predicted CLV of buyers: equal-width bins from 0 to the 99th percentile; the last bin also holds everything above it.</param>
/// <param name="PAlive">P(alive) of modelled buyers in bins of 0.05 from 0 to 1.</param>
public sealed record ValueDistributions(Histogram PredictedClv, Histogram PAlive)
{
    /// <summary>Bins per histogram.</summary>
    public const int Bins = 20;

    /// <summary>The histograms of buyers' predictions (P(alive) only where a model gave one).</summary>
    public static ValueDistributions Of(IEnumerable<(decimal PredictedClv, double? PAlive)> buyers)
    {
        ArgumentNullException.ThrowIfNull(buyers);
        var tally = new Tally();
        foreach (var (clv, alive) in buyers)
        {
            tally.Add(clv, alive);
        }

        return tally.Histograms();
    }

    /// <summary>
    /// Collects buyers one at a time as two compact lists of doubles (8 bytes per buyer each, in the order added): the
    /// 99th percentile that bounds the CLV histogram is known only when every buyer is in.
    /// </summary>
    public sealed class Tally
    {
        private readonly List<double> _clv = [];
        private readonly List<double> _alive = [];

        /// <summary>Adds one buyer.</summary>
        public void Add(decimal predictedClv, double? pAlive)
        {
            _clv.Add((double)predictedClv);
            if (pAlive is { } alive)
            {
                _alive.Add(alive);
            }
        }

        /// <summary>The histograms of the buyers added so far.</summary>
        public ValueDistributions Histograms()
        {
            var clv = _clv.ToArray();
            Array.Sort(clv);
            // The 99th percentile rather than the maximum: one outlier must not squeeze everybody into the first bin.
            var top = clv.Length == 0 ? 1d : Math.Max(clv[(int)Math.Floor(0.99 * (clv.Length - 1))], 1d);
            var low = Math.Min(0d, clv.Length == 0 ? 0d : clv[0]);
            return new ValueDistributions(Histogram.Of(clv, low, top), Histogram.Of(_alive, 0d, 1d));
        }
    }
}

/// <summary>Counts in equal-width bins.</summary>
/// <param name="Edges">Bin edges, one more than <paramref name="Counts"/>.</param>
/// <param name="Counts">Values per bin; values below the first edge count in the first bin, above the last in the last.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts)
{
    /// <summary>The histogram of <paramref name="values"/> over [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static Histogram Of(IReadOnlyCollection<double> values, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(values);
        var width = (high - low) / ValueDistributions.Bins;
        var edges = Enumerable.Range(0, ValueDistributions.Bins + 1).Select(i => Math.Round(low + (i * width), 6)).ToArray();
        var counts = new int[ValueDistributions.Bins];
        foreach (var value in values)
        {
            var bin = width <= 0 ? 0 : (int)Math.Floor((value - low) / width);
            counts[Math.Clamp(bin, 0, ValueDistributions.Bins - 1)]++;
        }

        return new Histogram(edges, counts);
    }

    /// <summary>Values counted.</summary>
    public int Total => Counts.Sum();
}
