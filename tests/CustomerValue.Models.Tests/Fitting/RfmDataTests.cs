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

    [Fact]
    public void RankedColumn_RanksAmongDistinctValuesAscending()
    {
        var column = RankedColumn.Of([2.5, 0.0, 2.5, -0.0, 1.25, 7]);

        Assert.Equal([0.0, 1.25, 2.5, 7], column.Values);
        Assert.Equal([2, 0, 2, 0, 1, 3], column.Rank);
        Assert.Equal(2, column.Bits);
    }
}
