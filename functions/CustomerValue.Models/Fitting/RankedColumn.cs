using System.Runtime.InteropServices;

namespace CustomerValue.Models.Fitting;

/// <summary>
/// A column of numbers as ranks among its distinct values: <see cref="Values"/> ascending and each entry's index into
/// them. Summaries have few distinct values per column (whole days or weeks to two decimals: a few hundred), so ranks
/// fit in a few bits and three of them pack into one integer key that sorts and hashes far faster than a tuple of
/// doubles. Zero is taken as +0 (−0 and +0 are one value).
/// </summary>
internal sealed class RankedColumn
{
    private RankedColumn(double[] values, int[] rank)
    {
        Values = values;
        Rank = rank;
        Bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(values.Length - 1, 0));
    }

    /// <summary>The distinct values, ascending.</summary>
    public double[] Values { get; }

    /// <summary>Each entry's index into <see cref="Values"/>.</summary>
    public int[] Rank { get; }

    /// <summary>Bits needed for the largest rank.</summary>
    public int Bits { get; }

    /// <summary>Ranks <paramref name="column"/> (no NaN): one hashing pass, then a sort of the distinct values only.</summary>
    public static RankedColumn Of(ReadOnlySpan<double> column)
    {
        var ids = new Dictionary<long, int>();
        var seen = new List<double>();
        var provisional = new int[column.Length];
        for (int i = 0; i < column.Length; i++)
        {
            double v = column[i] == 0 ? 0.0 : column[i];
            ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(ids, BitConverter.DoubleToInt64Bits(v), out bool exists);
            if (!exists)
            {
                id = seen.Count;
                seen.Add(v);
            }

            provisional[i] = id;
        }

        var values = seen.ToArray();
        var order = new int[values.Length];
        for (int k = 0; k < order.Length; k++)
        {
            order[k] = k;
        }

        Array.Sort(values, order);
        var rankOf = new int[values.Length];
        for (int r = 0; r < order.Length; r++)
        {
            rankOf[order[r]] = r;
        }

        for (int i = 0; i < provisional.Length; i++)
        {
            provisional[i] = rankOf[provisional[i]];
        }

        return new RankedColumn(values, provisional);
    }

    /// <summary>LSD radix sort of non-negative keys using their lowest <paramref name="bits"/> bits, 11 bits a pass.</summary>
    public static void RadixSort(long[] keys, int bits)
    {
        const int digitBits = 11;
        const int buckets = 1 << digitBits;
        var counts = new int[buckets];
        var source = keys;
        var target = new long[keys.Length];
        for (int shift = 0; shift < bits; shift += digitBits)
        {
            Array.Clear(counts);
            foreach (long k in source)
            {
                counts[(int)((k >> shift) & (buckets - 1))]++;
            }

            int sum = 0;
            for (int b = 0; b < buckets; b++)
            {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }

            foreach (long k in source)
            {
                target[counts[(int)((k >> shift) & (buckets - 1))]++] = k;
            }

            (source, target) = (target, source);
        }

        if (!ReferenceEquals(source, keys))
        {
            Array.Copy(source, keys, keys.Length);
        }
    }

    /// <summary>Sorts <paramref name="keys"/> and collapses equal ones: returns how many distinct keys lead the array and their counts.</summary>
    public static (int Unique, int[] Counts) SortAndCount(long[] keys, int bits)
    {
        RadixSort(keys, bits);
        int unique = 0;
        var counts = new List<int>();
        for (int i = 0; i < keys.Length; i++)
        {
            if (unique > 0 && keys[i] == keys[unique - 1])
            {
                counts[^1]++;
            }
            else
            {
                keys[unique++] = keys[i];
                counts.Add(1);
            }
        }

        return (unique, counts.ToArray());
    }
}
