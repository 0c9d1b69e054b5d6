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
    private const int PackBits = 21; // x and the scaled t_x, T below 2^21 are packed into one long key (fast path)

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
        double total = 0;
        foreach (double w in weight)
        {
            total += w; // as Enumerable.Sum adds doubles (in order), without its JIT compilation in a fresh process
        }

        TotalWeight = total;
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
        return FromFixedPoint(rows, 1) ?? FromFixedPoint(rows, 100) ?? FromRanks(rows) ?? FromGeneral(rows);
    }

    /// <summary>
    /// Fast path for summaries whose times are whole multiples of 1/<paramref name="scale"/>: whole days or weeks
    /// (scale 1), or times to two decimals as summary files in weeks carry them (scale 100; CDNOW's, lifetimes' CSVs).
    /// Each row becomes one integer key x | T·scale | t_x·scale, the keys are radix-sorted and equal keys counted, so
    /// the rows come out sorted by x, T, t_x, as from <see cref="FromRanks"/>. The distinct values come from a table
    /// indexed by the scaled time, with no hashing or sorting of doubles (which a fresh process would also JIT-compile).
    /// A time t qualifies when round(t·scale)/scale == t exactly, so every value is reproduced bit for bit. Null when
    /// a value does not qualify or a scaled value reaches 2^21.
    /// </summary>
    internal static RfmData? FromFixedPoint(ReadOnlySpan<SummaryRow> rows, double scale)
    {
        if (!FitsGrid(rows, scale, out double maxX, out double maxT, out double maxTx))
        {
            return null;
        }

        int bitsX = BitLength((long)maxX), bitsT = BitLength((long)maxT), bitsTx = BitLength((long)maxTx);
        int shiftT = bitsTx, shiftX = bitsTx + bitsT;
        var keys = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            long tx = r.Frequency > 0 ? (long)Math.Round(r.Recency * scale) : 0;
            keys[i] = ((long)r.Frequency << shiftX) | ((long)Math.Round(r.T * scale) << shiftT) | tx;
        }

        var (unique, counts) = RankedColumn.SortAndCount(keys, shiftX + bitsX);
        long maskT = (1L << bitsT) - 1, maskTx = (1L << bitsTx) - 1;
        var (xValues, xRank) = DistinctScaled(keys, unique, shiftX, -1L, (int)maxX, 1);
        var (tValues, tRank) = DistinctScaled(keys, unique, shiftT, maskT, (int)maxT, scale);
        var (txValues, txRank) = DistinctScaled(keys, unique, 0, maskTx, (int)maxTx, scale);
        var x = new double[unique];
        var txs = new double[unique];
        var ts = new double[unique];
        var w = new double[unique];
        var groupOf = new int[unique];
        var tIndex = new int[unique];
        var txIndex = new int[unique];
        for (int i = 0; i < unique; i++)
        {
            long key = keys[i];
            groupOf[i] = xRank[(int)(key >> shiftX)];
            tIndex[i] = tRank[(int)((key >> shiftT) & maskT)];
            txIndex[i] = txRank[(int)(key & maskTx)];
            x[i] = xValues[groupOf[i]];
            ts[i] = tValues[tIndex[i]];
            txs[i] = txValues[txIndex[i]];
            w[i] = counts[i];
        }

        return new RfmData(x, txs, ts, w, rows.Length, (xValues, groupOf), (txValues, txIndex), (tValues, tIndex));
    }

    /// <summary>
    /// The scale (1, else 100) at which every row's times are whole multiples of 1/scale (see
    /// <see cref="FromFixedPoint"/>), with the largest x and scaled T and t_x; null when neither fits.
    /// </summary>
    internal static double? FixedPointScale(ReadOnlySpan<SummaryRow> rows, out double maxX, out double maxT, out double maxTx)
    {
        return FitsGrid(rows, 1, out maxX, out maxT, out maxTx) ? 1
            : FitsGrid(rows, 100, out maxX, out maxT, out maxTx) ? 100
            : null;
    }

    /// <summary>
    /// Whether every frequency is a whole number and every T and t_x a whole multiple of 1/<paramref name="scale"/>
    /// (round(t·scale)/scale == t exactly), all below 2^21 once scaled; with the largest of each.
    /// </summary>
    private static bool FitsGrid(ReadOnlySpan<SummaryRow> rows, double scale, out double maxX, out double maxT, out double maxTx)
    {
        const double limit = 1 << PackBits;
        maxX = maxT = maxTx = 0;
        foreach (var r in rows)
        {
            double t = Math.Round(r.T * scale), tx = Math.Round(r.Recency * scale);
            if (!(r.Frequency < limit && t < limit && tx < limit && r.Frequency >= 0 && t >= 0 && tx >= 0
                && r.Frequency == Math.Floor(r.Frequency) && t / scale == r.T && tx / scale == r.Recency))
            {
                return false;
            }

            maxX = Math.Max(maxX, r.Frequency);
            maxT = Math.Max(maxT, t);
            maxTx = Math.Max(maxTx, tx);
        }

        return true;
    }

    private static int BitLength(long v) => 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)v);

    /// <summary>
    /// The distinct scaled values (key &gt;&gt; shift) &amp; mask among the first <paramref name="unique"/> keys, as
    /// times (value / scale, ascending), and a table from scaled value to its index among them.
    /// </summary>
    private static (double[] Values, int[] RankOf) DistinctScaled(long[] keys, int unique, int shift, long mask, int max, double scale)
    {
        var rankOf = new int[max + 1];
        for (int i = 0; i < unique; i++)
        {
            rankOf[(int)((keys[i] >> shift) & mask)] = 1;
        }

        int count = 0;
        foreach (int present in rankOf)
        {
            count += present;
        }

        var values = new double[count];
        int rank = 0;
        for (int v = 0; v <= max; v++)
        {
            if (rankOf[v] != 0)
            {
                values[rank] = v / scale;
                rankOf[v] = rank++;
            }
        }

        return (values, rankOf);
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
