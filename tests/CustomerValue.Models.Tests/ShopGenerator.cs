using CustomerValue.Models.Summaries;
using MathNet.Numerics.Distributions;

namespace CustomerValue.Models.Tests;

/// <summary>
/// Deterministic summaries of a small shop that is not BG/NBD-shaped: first orders spread over the first 540 of 730 days,
/// purchase rates λ ~ Gamma(shape, shape · mean gap) (mean gap in days), exponential lifetimes with one mean for everybody,
/// purchases a Poisson process while alive, same-day orders merged, times in whole days.
/// </summary>
internal static class ShopGenerator
{
    public static SummaryRow[] ExponentialLifetimes(int customers, double shape, double meanGapDays, double meanLifetimeDays, int seed, out int orders)
    {
        var random = new Random(seed);
        var rows = new SummaryRow[customers];
        orders = 0;
        const double End = 730;
        for (int i = 0; i < customers; i++)
        {
            double birth = Math.Floor(random.NextDouble() * 540);
            double lambda = Gamma.Sample(random, shape, shape * meanGapDays);
            double death = birth + Exponential.Sample(random, 1 / meanLifetimeDays);
            var days = new SortedSet<double> { birth };
            double t = birth;
            while (true)
            {
                t += Exponential.Sample(random, lambda);
                if (t > Math.Min(death, End))
                {
                    break;
                }

                days.Add(Math.Floor(t));
            }

            orders += days.Count;
            rows[i] = new SummaryRow(days.Count - 1, days.Max - birth, End - birth, days.Count > 1 ? 25 : 0);
        }

        return rows;
    }

    /// <summary>The shop of the measured failure: 400 customers, 3,829 orders; BG/NBD's optimum is at a, b → ∞.</summary>
    public static SummaryRow[] BoundaryShop(out int orders) => ExponentialLifetimes(400, 5, 30, 400, 20, out orders);
}
