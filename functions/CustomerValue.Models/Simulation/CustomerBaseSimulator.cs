using CustomerValue.Models.Summaries;
using MathNet.Numerics.Distributions;

namespace CustomerValue.Models.Simulation;

/// <summary>
/// Simulates a customer base from the BG/NBD + Gamma-Gamma generative model (see <see cref="GenerativeParameters"/>).
/// </summary>
/// <remarks>
/// Acquisition: each customer's first purchase (birth) is uniform on [0, observation end]. From birth on,
/// per customer: λ ~ Gamma(shape r, rate α); p ~ Beta(a, b); inter-purchase times ~ Exponential(λ); after each
/// REPEAT purchase the customer drops out with probability p (so, as in the BG/NBD likelihood, nobody drops out
/// before the first repeat purchase); ν ~ Gamma(shape q, rate γ); each transaction value ~ Gamma(shape p, rate ν).
/// Results are deterministic for a given <see cref="Random"/> seed. Time is in the unit of the parameters
/// (days for <see cref="GenerativeParameters.ShopInDays"/>).
/// </remarks>
public static class CustomerBaseSimulator
{
    /// <summary>Simulates every purchase of <paramref name="customers"/> customers, lazily, in index order.</summary>
    /// <param name="customers">Number of customers.</param>
    /// <param name="observationDays">End of the observation window (the window starts at 0), in the parameters' time unit.</param>
    /// <param name="parameters">Generative parameters.</param>
    /// <param name="random">Source of randomness; seed it for reproducible output.</param>
    public static IEnumerable<SimulatedCustomer> Simulate(int customers, double observationDays, GenerativeParameters parameters, Random random)
    {
        Validate(customers, observationDays, parameters, random);
        return SimulateIterator(customers, observationDays, parameters, random);
    }

    /// <summary>
    /// Simulates the RFM summaries directly (no purchase lists; one allocation: the result array).
    /// </summary>
    /// <param name="customers">Number of customers.</param>
    /// <param name="observationDays">End of the observation window, in the parameters' time unit.</param>
    /// <param name="parameters">Generative parameters.</param>
    /// <param name="random">Source of randomness; seed it for reproducible output.</param>
    /// <param name="wholeTimeUnits">
    /// When true (default) times are recorded as whole time units (whole days for daily parameters), like a summary
    /// built from purchase dates: birth and purchases are floored to their day, purchases on the same day count as
    /// one purchase (their values summed), T = ⌊end⌋ − birth day and t_x = last repeat day − birth day. When false the
    /// exact continuous times are used (the BG/NBD process itself; use this to check moments).
    /// </param>
    public static SummaryRow[] SimulateSummaries(
        int customers, double observationDays, GenerativeParameters parameters, Random random, bool wholeTimeUnits = true)
    {
        Validate(customers, observationDays, parameters, random);
        var rows = new SummaryRow[customers];
        SimulateSummaries(rows, observationDays, parameters, random, wholeTimeUnits);
        return rows;
    }

    /// <summary>Fills <paramref name="destination"/> with simulated RFM summaries (see the array overload).</summary>
    public static void SimulateSummaries(
        Span<SummaryRow> destination, double observationDays, GenerativeParameters parameters, Random random, bool wholeTimeUnits = true)
    {
        Validate(destination.Length, observationDays, parameters, random);
        double endUnit = Math.Floor(observationDays);
        for (int i = 0; i < destination.Length; i++)
        {
            double birth = random.NextDouble() * observationDays;
            double lambda = Gamma.Sample(random, parameters.R, parameters.Alpha);
            double dropout = Beta.Sample(random, parameters.A, parameters.B);
            double nu = Gamma.Sample(random, parameters.Q, parameters.V);

            double t = birth;
            double birthUnit = Math.Floor(birth);
            double lastUnit = wholeTimeUnits ? birthUnit : birth;
            int repeatPeriods = 0;
            int repeatTransactions = 0;
            while (true)
            {
                t += NextExponential(random, lambda);
                if (!(t <= observationDays))
                {
                    break;
                }

                double unit = wholeTimeUnits ? Math.Floor(t) : t;
                if (!wholeTimeUnits || unit > birthUnit)
                {
                    repeatTransactions++; // a purchase on the birth day adds to the first purchase, not to repeat value
                }

                if (unit > lastUnit || !wholeTimeUnits)
                {
                    repeatPeriods++;
                    lastUnit = unit;
                }

                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }

            double monetary = 0;
            if (repeatPeriods > 0)
            {
                // The sum of k independent Gamma(p, ν) values is Gamma(k p, ν): one draw for all repeat transactions.
                double total = Gamma.Sample(random, parameters.P * repeatTransactions, nu);
                monetary = total / repeatPeriods;
            }

            destination[i] = wholeTimeUnits
                ? new SummaryRow(repeatPeriods, repeatPeriods > 0 ? lastUnit - birthUnit : 0, endUnit - birthUnit, monetary)
                : new SummaryRow(repeatPeriods, repeatPeriods > 0 ? lastUnit - birth : 0, observationDays - birth, monetary);
        }
    }

    private static IEnumerable<SimulatedCustomer> SimulateIterator(int customers, double end, GenerativeParameters parameters, Random random)
    {
        for (int i = 0; i < customers; i++)
        {
            double birth = random.NextDouble() * end;
            double lambda = Gamma.Sample(random, parameters.R, parameters.Alpha);
            double dropout = Beta.Sample(random, parameters.A, parameters.B);
            double nu = Gamma.Sample(random, parameters.Q, parameters.V);

            var purchases = new List<SimulatedPurchase> { new(birth, Gamma.Sample(random, parameters.P, nu)) };
            double dropoutTime = double.PositiveInfinity;
            double t = birth;
            while (true)
            {
                t += NextExponential(random, lambda);
                if (!(t <= end))
                {
                    break;
                }

                purchases.Add(new SimulatedPurchase(t, Gamma.Sample(random, parameters.P, nu)));
                if (random.NextDouble() < dropout)
                {
                    dropoutTime = t;
                    break;
                }
            }

            yield return new SimulatedCustomer(i, birth, purchases, lambda, dropout, dropoutTime);
        }
    }

    private static double NextExponential(Random random, double rate) => -Math.Log(1.0 - random.NextDouble()) / rate;

    private static void Validate(int customers, double observationDays, GenerativeParameters parameters, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(customers);
        if (!(observationDays > 0) || double.IsInfinity(observationDays))
        {
            throw new ArgumentOutOfRangeException(nameof(observationDays), observationDays, "The observation window must be a finite positive length.");
        }

        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(random);
        parameters.Validate();
    }
}
