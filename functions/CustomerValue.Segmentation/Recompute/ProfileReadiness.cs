using CustomerValue.Domain.Profiles;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// Whether a profile's figures can enter a recompute. Ingestion bounds every order's amount, so a profile fails here
/// only with data written before those bounds (or by hand): an aggregate that overflows, or one so large that summing
/// a segment of such profiles could overflow.
/// </summary>
public static class ProfileReadiness
{
    /// <summary>
    /// The largest net revenue a profile may carry into a run: 10^20, beyond any real customer (a hundred billion
    /// orders at the per-order maximum of 10^9), and small enough that a segment of a million such profiles still sums
    /// within <see cref="decimal"/>'s range (about 7.9 × 10^28).
    /// </summary>
    public const decimal MaxProfileRevenue = 100_000_000_000_000_000_000m;

    /// <summary>Null when the profile can be valued; otherwise why not.</summary>
    public static string? Problem(CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        try
        {
            var gross = profile.GrossRevenue;
            var net = profile.NetRevenue;
            if (Math.Abs(gross) > MaxProfileRevenue || Math.Abs(net) > MaxProfileRevenue)
            {
                return $"revenue beyond {MaxProfileRevenue:E0}: its orders carry amounts no shop takes";
            }

            foreach (var day in profile.OrderTotals.Days)
            {
                _ = day.Positive + day.Negative;
            }

            return null;
        }
        catch (OverflowException)
        {
            return "its order amounts overflow when summed";
        }
    }
}
