using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Fitting;

/// <summary>
/// Customers compressed to unique (x, t_x, T) rows with weights (the number of customers sharing the row), sorted by
/// x, with per-row indices into the distinct x, t_x and T values. Likelihoods compute Γ/ψ terms once per distinct x
/// and ln(α + t) once per distinct time, so a row costs only its mixing term. Summaries built from dates (whole days
/// or weeks) have a few hundred distinct times whatever the number of customers.
/// </summary>
internal sealed class RfmData
{
    private const int PackBits = 21; // whole-number x, t_x, T below 2^21 are packed into one long key (fast path)

    private RfmData(double[] x, double[] tx, double[] t, double[] weight, int customers)
        : this(x, tx, t, weight, customers, Distinct(x), Distinct(tx), Distinct(t))
    {
    }

    private RfmData(
        double[] x, double[] tx, double[] t, double[] weight, int customers,
        (double[] Values, int[] Index) groups, (double[] Values, int[] Index) recencies, (double[] Values, int[] Index) ages)
    {
        X = x;
        Tx = tx;
        T = t;
        Weight = weight;
        Customers = customers;
        TotalWeight = weight.Sum();
        (GroupX, Group) = groups;
        (DistinctTx, TxIndex) = recencies;
        (DistinctT, TIndex) = ages;
    }

    public double[] X { get; }

    public double[] Tx { get; }

    public double[] T { get; }

    public double[] Weight { get; }

    /// <summary>Distinct frequencies, ascending, and each row's index into them.</summary>
    public double[] GroupX { get; }

    public int[] Group { get; }

    /// <summary>Distinct recencies and each row's index into them.</summary>
    public double[] DistinctTx { get; }

    public int[] TxIndex { get; }

    /// <summary>Distinct ages T and each row's index into them.</summary>
    public double[] DistinctT { get; }

    public int[] TIndex { get; }

    public int Count => X.Length;

    public int Customers { get; }

    public double TotalWeight { get; }

    public int RepeatBuyers
    {
        get
        {
            double sum = 0;
            for (int i = 0; i < Count; i++)
            {
                if (X[i] > 0)
                {
                    sum += Weight[i];
                }
            }

            return (int)sum;
        }
    }

    public static RfmData FromSummaries(IReadOnlyList<CustomerSummary> summaries)
    {
        var rows = new SummaryRow[summaries.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = summaries[i].ToRow();
        }

        return FromRows(rows);
    }

    public static RfmData FromRows(ReadOnlySpan<SummaryRow> rows)
    {
        return SmallWholeNumberBits(rows) is { } bits ? FromPacked(rows, bits) : FromRanks(rows) ?? FromGeneral(rows);
    }

    /// <summary>Bit widths of x, T and t_x when all are whole numbers below 2^21, else null.</summary>
    private static (int X, int T, int Tx)? SmallWholeNumberBits(ReadOnlySpan<SummaryRow> rows)
    {
        const double limit = 1 << PackBits;
        double maxX = 0, maxT = 0, maxTx = 0;
        foreach (var r in rows)
        {
            if (!(r.T < limit && r.Recency < limit && r.Frequency < limit)
                || r.T != Math.Floor(r.T) || r.Recency != Math.Floor(r.Recency) || r.Frequency != Math.Floor(r.Frequency))
            {
                return null;
            }

            maxX = Math.Max(maxX, r.Frequency);
            maxT = Math.Max(maxT, r.T);
            maxTx = Math.Max(maxTx, r.Recency);
        }

        return (BitLength((long)maxX), BitLength((long)maxT), BitLength((long)maxTx));
    }

    private static int BitLength(long v) => 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)v);

    /// <summary>
    /// Fast path for whole-number summaries (dates in days or whole weeks): each row becomes one integer key
    /// x | T | t_x, the keys are radix-sorted and equal keys counted, so the rows come out sorted by x, T, t_x.
    /// </summary>
    private static RfmData FromPacked(ReadOnlySpan<SummaryRow> rows, (int X, int T, int Tx) bits)
    {
        int shiftT = bits.Tx, shiftX = bits.Tx + bits.T;
        var keys = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            long tx = r.Frequency > 0 ? (long)r.Recency : 0;
            keys[i] = ((long)r.Frequency << shiftX) | ((long)r.T << shiftT) | tx;
        }

        var (unique, counts) = RankedColumn.SortAndCount(keys, shiftX + bits.X);

        long maskT = (1L << bits.T) - 1, maskTx = (1L << bits.Tx) - 1;
        var x = new double[unique];
        var txs = new double[unique];
        var ts = new double[unique];
        var w = new double[unique];
        for (int i = 0; i < unique; i++)
        {
            long key = keys[i];
            x[i] = key >> shiftX;
            ts[i] = (key >> shiftT) & maskT;
            txs[i] = key & maskTx;
            w[i] = counts[i];
        }

        return new RfmData(x, txs, ts, w, rows.Length);
    }

    /// <summary>
    /// Any other summaries (times in weeks to two decimals, say): each column is replaced by its ranks among its distinct
    /// values (<see cref="RankedColumn"/>), the three ranks are packed into one key x | T | t_x and the keys radix-sorted
    /// and counted, which gives the rows in the same order as sorting the (x, T, t_x) tuples, an order of magnitude
    /// faster. Null when the ranks need more than 62 bits together (tens of millions of distinct values).
    /// </summary>
    internal static RfmData? FromRanks(ReadOnlySpan<SummaryRow> rows)
    {
        var x = new double[rows.Length];
        var t = new double[rows.Length];
        var tx = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            x[i] = rows[i].Frequency;
            t[i] = rows[i].T;
            tx[i] = rows[i].Frequency > 0 ? rows[i].Recency : 0;
        }

        RankedColumn? rx = null, rt = null, rtx = null;
        Parallel.Invoke(() => rx = RankedColumn.Of(x), () => rt = RankedColumn.Of(t), () => rtx = RankedColumn.Of(tx));
        int shiftT = rtx!.Bits, shiftX = rtx.Bits + rt!.Bits, bits = shiftX + rx!.Bits;
        if (bits > 62)
        {
            return null;
        }

        var keys = new long[rows.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = ((long)rx.Rank[i] << shiftX) | ((long)rt.Rank[i] << shiftT) | (long)rtx.Rank[i];
        }

        var (unique, counts) = RankedColumn.SortAndCount(keys, bits);
        long maskT = (1L << rt.Bits) - 1, maskTx = (1L << rtx.Bits) - 1;
        var xs = new double[unique];
        var txs = new double[unique];
        var ts = new double[unique];
        var w = new double[unique];
        var groupOf = new int[unique];
        var tIndex = new int[unique];
        var txIndex = new int[unique];
        for (int i = 0; i < unique; i++)
        {
            long key = keys[i];
            groupOf[i] = (int)(key >> shiftX);
            tIndex[i] = (int)((key >> shiftT) & maskT);
            txIndex[i] = (int)(key & maskTx);
            xs[i] = rx.Values[groupOf[i]];
            ts[i] = rt.Values[tIndex[i]];
            txs[i] = rtx.Values[txIndex[i]];
            w[i] = counts[i];
        }

        return new RfmData(xs, txs, ts, w, rows.Length, (rx.Values, groupOf), (rtx.Values, txIndex), (rt.Values, tIndex));
    }

    internal static RfmData FromGeneral(ReadOnlySpan<SummaryRow> rows)
    {
        var counts = new Dictionary<(double X, double T, double Tx), int>(Math.Min(rows.Length, 1 << 16));
        foreach (var r in rows)
        {
            var key = (r.Frequency, r.T, r.Frequency > 0 ? r.Recency : 0);
            ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _);
            count++;
        }

        var keys = counts.Keys.ToArray();
        Array.Sort(keys);
        int n = keys.Length;
        var x = new double[n];
        var txs = new double[n];
        var ts = new double[n];
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = keys[i].X;
            ts[i] = keys[i].T;
            txs[i] = keys[i].Tx;
            w[i] = counts[keys[i]];
        }

        return new RfmData(x, txs, ts, w, rows.Length);
    }

    private static (double[] Values, int[] Index) Distinct(double[] column)
    {
        double max = 0;
        bool small = true;
        foreach (double v in column)
        {
            if (!(v >= 0 && v < 4.0 * column.Length + 1024) || v != Math.Floor(v))
            {
                small = false;
                break;
            }

            max = Math.Max(max, v);
        }

        return small ? DistinctWholeNumbers(column, (int)max) : DistinctBySorting(column);
    }

    private static (double[] Values, int[] Index) DistinctWholeNumbers(double[] column, int max)
    {
        var rank = new int[max + 1];
        foreach (double v in column)
        {
            rank[(int)v] = 1;
        }

        var values = new List<double>();
        for (int v = 0; v <= max; v++)
        {
            if (rank[v] != 0)
            {
                rank[v] = values.Count;
                values.Add(v);
            }
        }

        var index = new int[column.Length];
        for (int i = 0; i < column.Length; i++)
        {
            index[i] = rank[(int)column[i]];
        }

        return (values.ToArray(), index);
    }

    private static (double[] Values, int[] Index) DistinctBySorting(double[] column)
    {
        var values = (double[])column.Clone();
        Array.Sort(values);
        int unique = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (unique == 0 || values[i] != values[unique - 1])
            {
                values[unique++] = values[i];
            }
        }

        Array.Resize(ref values, unique);
        var index = new int[column.Length];
        for (int i = 0; i < column.Length; i++)
        {
            index[i] = Array.BinarySearch(values, column[i]);
        }

        return (values, index);
    }
}
