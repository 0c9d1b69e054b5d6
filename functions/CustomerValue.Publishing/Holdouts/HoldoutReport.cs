using CustomerValue.Domain.Profiles;

namespace CustomerValue.Publishing.Holdouts;

/// <summary>One window's comparison of treated members and the holdout.</summary>
/// <param name="Days">The window: the last 30 or 90 days.</param>
/// <param name="Treated">Members the destinations received.</param>
/// <param name="Holdout">Members held out.</param>
/// <param name="TreatedRevenuePerMember">Net revenue per treated member in the window.</param>
/// <param name="HoldoutRevenuePerMember">Net revenue per held-out member.</param>
/// <param name="TreatedOrdersPerMember">Orders per treated member.</param>
/// <param name="HoldoutOrdersPerMember">Orders per held-out member.</param>
/// <param name="IncrementalRevenuePerMember">Treated minus holdout revenue per member.</param>
/// <param name="Low">Lower end of its 90 % interval.</param>
/// <param name="High">Upper end of its 90 % interval.</param>
public sealed record HoldoutWindow(
    int Days, int Treated, int Holdout,
    decimal TreatedRevenuePerMember, decimal HoldoutRevenuePerMember,
    double TreatedOrdersPerMember, double HoldoutOrdersPerMember,
    decimal IncrementalRevenuePerMember, decimal Low, decimal High);

/// <summary>A segment's control-group report.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="HoldoutShare">Its configured share.</param>
/// <param name="Windows">The last 30 and 90 days.</param>
public sealed record SegmentHoldoutReport(string Segment, double HoldoutShare, IReadOnlyList<HoldoutWindow> Windows);

/// <summary>
/// Measures what marketing to a segment achieved: for each segment with a holdout, its current members are split into
/// treated and held out by the same deterministic draw the destinations obey, and net revenue and orders per member
/// over the last 30 and 90 days are compared. The incremental revenue per member carries a 90 % interval from the
/// normal approximation of the difference of two means (Welch: diff ± 1.645 √(s²ₜ/nₜ + s²ₕ/nₕ)); with fewer than two
/// members on either side the interval is the whole difference either way (unknown).
/// </summary>
public static class HoldoutReport
{
    private const double Z90 = 1.6448536269514722;

    /// <summary>The report of every segment with a holdout.</summary>
    /// <param name="profiles">Live profiles (current segments and order history).</param>
    /// <param name="holdouts">The holdout policy.</param>
    /// <param name="now">The end of the windows.</param>
    public static IReadOnlyList<SegmentHoldoutReport> Compute(IEnumerable<CustomerProfile> profiles, HoldoutPolicy holdouts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(holdouts);
        if (holdouts.Shares.Count == 0)
        {
            return [];
        }

        int[] windows = [30, 90];
        // Per segment and window: per member (revenue, orders), split by holdout.
        var samples = holdouts.Shares.Keys.ToDictionary(s => s, _ => windows.ToDictionary(w => w, _ => (Treated: new List<(decimal, int)>(), Held: new List<(decimal, int)>())));
        foreach (var profile in profiles)
        {
            if (profile.IsRedirect || profile.IsErased)
            {
                continue;
            }

            foreach (var segment in profile.Segments.Where(samples.ContainsKey))
            {
                var held = holdouts.IsHeldOut(profile.Id, segment);
                foreach (var days in windows)
                {
                    // Whole UTC days, as the profile's order totals keep them: the window is the last `days` days up to now.
                    var since = DateOnly.FromDateTime(now.UtcDateTime.AddDays(-days));
                    var until = DateOnly.FromDateTime(now.UtcDateTime);
                    var window = profile.OrderTotals.Days.Where(d => d.Date >= since && d.Date <= until).ToList();
                    var sample = (window.Sum(d => d.Net), window.Sum(d => d.Purchases));
                    (held ? samples[segment][days].Held : samples[segment][days].Treated).Add(sample);
                }
            }
        }

        return [.. samples.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SegmentHoldoutReport(s.Key, holdouts.ShareOf(s.Key),
            [.. windows.Select(days => Window(days, s.Value[days].Treated, s.Value[days].Held))]))];
    }

    private static HoldoutWindow Window(int days, List<(decimal Revenue, int Orders)> treated, List<(decimal Revenue, int Orders)> held)
    {
        var (tMean, tVar) = MeanVariance(treated.Select(t => (double)t.Revenue).ToList());
        var (hMean, hVar) = MeanVariance(held.Select(t => (double)t.Revenue).ToList());
        var diff = tMean - hMean;
        var half = treated.Count < 2 || held.Count < 2 ? Math.Abs(diff) + Math.Max(tMean, hMean) : Z90 * Math.Sqrt(tVar / treated.Count + hVar / held.Count);
        return new HoldoutWindow(days, treated.Count, held.Count,
            Round(tMean), Round(hMean),
            treated.Count == 0 ? 0 : Math.Round(treated.Average(t => t.Orders), 3), held.Count == 0 ? 0 : Math.Round(held.Average(t => t.Orders), 3),
            Round(diff), Round(diff - half), Round(diff + half));
    }

    private static (double Mean, double Variance) MeanVariance(List<double> values)
    {
        if (values.Count == 0)
        {
            return (0, 0);
        }

        var mean = values.Average();
        var variance = values.Count < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, variance);
    }

    private static decimal Round(double value) => Math.Round((decimal)value, 2);
}
