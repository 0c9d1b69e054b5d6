using CustomerValue.Models.Fitting;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Tests.Fitting;

public class RfmDataTests
{
    /// <summary>Times in weeks to two decimals, as summary files give them: not whole numbers, few distinct values.</summary>
    [Theory]
    [InlineData(100, 1)]
    [InlineData(20_000, 2)]
    public void FromRanks_GivesTheRowsAndIndicesOfSortingTheTuples(int customers, int seed)
    {
        var random = new Random(seed);
        var rows = new SummaryRow[customers];
        for (int i = 0; i < rows.Length; i++)
        {
            double t = Math.Round(random.Next(0, 366) / 7.0, 2);
            double x = random.Next(0, 4) == 0 ? random.Next(1, 30) : 0;
            double tx = x > 0 ? Math.Round(random.NextDouble() * t, 2) : 0;
            rows[i] = new SummaryRow(x, tx, t, x > 0 ? 10 : 0);
        }

        rows[0] = new SummaryRow(0, -0.0, 0.5, 0); // −0 and +0 are one value

        var ranked = RfmData.FromRanks(rows)!;
        var sorted = RfmData.FromGeneral(rows);

        Assert.Equal(sorted.X, ranked.X);
        Assert.Equal(sorted.Tx, ranked.Tx);
        Assert.Equal(sorted.T, ranked.T);
        Assert.Equal(sorted.Weight, ranked.Weight);
        Assert.Equal(sorted.GroupX, ranked.GroupX);
        Assert.Equal(sorted.Group, ranked.Group);
        Assert.Equal(sorted.DistinctTx, ranked.DistinctTx);
        Assert.Equal(sorted.TxIndex, ranked.TxIndex);
        Assert.Equal(sorted.DistinctT, ranked.DistinctT);
        Assert.Equal(sorted.TIndex, ranked.TIndex);
        Assert.Equal(customers, ranked.Customers);
    }

    /// <summary>The fixed-point path (times to two decimals, or whole) gives the same rows and indices as sorting the tuples.</summary>
    [Theory]
    [InlineData(100, 3, 100.0)]
    [InlineData(20_000, 4, 100.0)]
    [InlineData(20_000, 5, 1.0)]
    public void FromFixedPoint_GivesTheRowsAndIndicesOfSortingTheTuples(int customers, int seed, double scale)
    {
        var rows = WeeksToDecimals(customers, seed, scale == 1 ? 0 : 2);
        rows[0] = new SummaryRow(0, -0.0, 0.5, 0); // −0 and +0 are one value
        if (scale == 1)
        {
            rows[0] = new SummaryRow(0, -0.0, 3, 0);
        }

        var packed = RfmData.FromFixedPoint(rows, scale)!;
        var sorted = RfmData.FromGeneral(rows);

        AssertSame(sorted, packed);
        Assert.Equal(customers, packed.Customers);
        AssertSame(sorted, RfmData.FromRows(rows));
    }

    /// <summary>A time off the two-decimal grid (a third decimal, or sevenths unrounded) leaves the fixed-point path to the ranks.</summary>
    [Fact]
    public void FromFixedPoint_RefusesTimesOffItsGrid()
    {
        var rows = WeeksToDecimals(1_000, 6, 2);
        rows[^1] = new SummaryRow(2, 3.125, 10, 5);

        Assert.Null(RfmData.FromFixedPoint(rows, 100));
        Assert.Null(RfmData.FromFixedPoint(rows, 1));
        AssertSame(RfmData.FromGeneral(rows), RfmData.FromRows(rows));

        rows[^1] = new SummaryRow(2, 3.0 / 7, 10, 5);
        Assert.Null(RfmData.FromFixedPoint(rows, 100));
        AssertSame(RfmData.FromGeneral(rows), RfmData.FromRows(rows));
    }

    [Fact]
    public void RankedColumn_RanksAmongDistinctValuesAscending()
    {
        var column = RankedColumn.Of([2.5, 0.0, 2.5, -0.0, 1.25, 7]);

        Assert.Equal([0.0, 1.25, 2.5, 7], column.Values);
        Assert.Equal([2, 0, 2, 0, 1, 3], column.Rank);
        Assert.Equal(2, column.Bits);
    }

    private static SummaryRow[] WeeksToDecimals(int customers, int seed, int decimals)
    {
        var random = new Random(seed);
        var rows = new SummaryRow[customers];
        for (int i = 0; i < rows.Length; i++)
        {
            double t = Math.Round(random.Next(0, 366) / 7.0, decimals);
            double x = random.Next(0, 4) == 0 ? random.Next(1, 30) : 0;
            double tx = x > 0 ? Math.Round(random.NextDouble() * t, decimals) : 0;
            rows[i] = new SummaryRow(x, tx, t, x > 0 ? 10 : 0);
        }

        return rows;
    }

    private static void AssertSame(RfmData expected, RfmData actual)
    {
        Assert.Equal(expected.X, actual.X);
        Assert.Equal(expected.Tx, actual.Tx);
        Assert.Equal(expected.T, actual.T);
        Assert.Equal(expected.Weight, actual.Weight);
        Assert.Equal(expected.GroupX, actual.GroupX);
        Assert.Equal(expected.Group, actual.Group);
        Assert.Equal(expected.DistinctTx, actual.DistinctTx);
        Assert.Equal(expected.TxIndex, actual.TxIndex);
        Assert.Equal(expected.DistinctT, actual.DistinctT);
        Assert.Equal(expected.TIndex, actual.TIndex);
        Assert.Equal(expected.TotalWeight, actual.TotalWeight);
        Assert.Equal(expected.Customers, actual.Customers);
    }
}
