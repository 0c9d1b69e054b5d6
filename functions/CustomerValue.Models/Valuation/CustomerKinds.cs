using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Valuation;

/// <summary>
/// Customers grouped for repeated valuation (one pass per parameter draw): customers with the same (x, t_x, T, m̄) have
/// the same CLV under any parameters, those with the same (x, t_x, T) the same P(alive), and those with the same (x, T)
/// the same growth of expected purchases (E[Y(t)] = g(t; x, T) · P(alive)). A simulated million customers has about
/// 340,000 kinds, 176,000 histories and 6,500 (x, T) pairs, so a draw evaluates the hypergeometric terms a few
/// thousand times rather than a million.
/// </summary>
internal sealed class CustomerKinds
{
    private readonly (double X, double M)[] _spend;
    private readonly int[] _historyOf;
    private readonly (double X, double Tx, double T)[] _histories;
    private readonly int[] _ageOf;
    private readonly (double X, double T)[] _ages;
    private readonly int[] _weight;

    private CustomerKinds(int[] kindOf, (double X, double M)[] spend, int[] weight, int[] historyOf, (double, double, double)[] histories, int[] ageOf, (double, double)[] ages)
    {
        KindOf = kindOf;
        _spend = spend;
        _weight = weight;
        _historyOf = historyOf;
        _histories = histories;
        _ageOf = ageOf;
        _ages = ages;
    }

    /// <summary>Each customer's kind, in input order.</summary>
    public int[] KindOf { get; }

    /// <summary>The number of kinds.</summary>
    public int Count => _spend.Length;

    /// <summary>Groups <paramref name="customers"/>.</summary>
    public static CustomerKinds Of(ReadOnlySpan<SummaryRow> customers)
    {
        var kinds = new Dictionary<(double, double, double, double), int>();
        var histories = new Dictionary<(double, double, double), int>();
        var ages = new Dictionary<(double, double), int>();
        var kindOf = new int[customers.Length];
        var spend = new List<(double, double)>();
        var weight = new List<int>();
        var historyOf = new List<int>();
        var ageOf = new List<int>();
        for (int i = 0; i < customers.Length; i++)
        {
            var c = customers[i];
            ref int kind = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(kinds, (c.Frequency, c.Recency, c.T, c.MonetaryValue), out bool known);
            if (!known)
            {
                kind = spend.Count;
                spend.Add((c.Frequency, c.MonetaryValue));
                weight.Add(0);
                ref int history = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(histories, (c.Frequency, c.Recency, c.T), out bool knownHistory);
                if (!knownHistory)
                {
                    history = histories.Count - 1;
                    ref int age = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ages, (c.Frequency, c.T), out bool knownAge);
                    if (!knownAge)
                    {
                        age = ages.Count - 1;
                    }

                    ageOf.Add(age);
                }

                historyOf.Add(history);
            }

            weight[kind]++;
            kindOf[i] = kind;
        }

        return new CustomerKinds(kindOf, [.. spend], [.. weight], [.. historyOf], Keys(histories), [.. ageOf], Keys(ages));
    }

    /// <summary>The CLV of each kind under one set of parameters, as in <see cref="CustomerValuation.PredictedClv"/>.</summary>
    public double[] Values(IRepeatPurchaseModel model, GammaGammaParameters spend, ValuationOptions options)
    {
        var growth = new double[_ages.Length];
        for (int a = 0; a < growth.Length; a++)
        {
            double sum = 0, previous = 0, discount = 1;
            for (int month = 1; month <= options.HorizonMonths; month++)
            {
                double cumulative = model.ExpectedPurchasesIfAlive(month * options.TimeUnitsPerMonth, _ages[a].X, _ages[a].T);
                discount /= 1 + options.MonthlyDiscountRate;
                sum += (cumulative - previous) * discount;
                previous = cumulative;
            }

            growth[a] = sum;
        }

        var discounted = new double[_histories.Length];
        for (int h = 0; h < discounted.Length; h++)
        {
            var (x, tx, t) = _histories[h];
            discounted[h] = growth[_ageOf[h]] * model.ProbabilityAlive(x, tx, t);
        }

        var values = new double[_spend.Length];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = options.GrossMargin * spend.ExpectedAverageSpend(_spend[k].X, _spend[k].M) * discounted[_historyOf[k]];
        }

        return values;
    }

    /// <summary>
    /// The CLV of the customer ranked ⌈share · n⌉ from the top among all n customers (kinds counted with their
    /// multiplicity): a customer is in the top share when its value is at least this. Selection, not a sort.
    /// </summary>
    public double TopThreshold(double[] values, double share, double[] buffer)
    {
        int n = buffer.Length;
        if (n == 0)
        {
            return 0;
        }

        int next = 0;
        for (int k = 0; k < values.Length; k++)
        {
            buffer.AsSpan(next, _weight[k]).Fill(values[k]);
            next += _weight[k];
        }

        int top = (int)Math.Ceiling(share * n);
        return MathNet.Numerics.Statistics.ArrayStatistics.OrderStatisticInplace(buffer, n - top + 1);
    }

    private static TKey[] Keys<TKey>(Dictionary<TKey, int> index)
        where TKey : notnull
    {
        var keys = new TKey[index.Count];
        foreach (var (key, i) in index)
        {
            keys[i] = key;
        }

        return keys;
    }
}
