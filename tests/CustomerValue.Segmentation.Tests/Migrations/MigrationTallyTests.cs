using CustomerValue.Segmentation.Migrations;

namespace CustomerValue.Segmentation.Tests.Migrations;

/// <summary>
/// The recompute now counts the matrix customer by customer (it knows both runs' tiers of each profile at once) instead
/// of keeping every placement of both runs: the matrix must be the one <see cref="MigrationMatrix.Between"/> gives.
/// </summary>
public sealed class MigrationTallyTests
{
    [Fact]
    public void Tally_EqualsTheMatrixBetweenBothRunsPlacements()
    {
        var random = new Random(14);
        string?[] tiers = ["top-20", "middle-60", "bottom-20", null];
        var earlier = new List<TierPlacement>();
        var later = new List<TierPlacement>();
        var tally = new MigrationMatrix.Tally();
        for (var i = 0; i < 500; i++)
        {
            var id = "p" + i;
            var (was, now) = (tiers[random.Next(tiers.Length)], tiers[random.Next(tiers.Length)]);
            var (before, after) = (decimal.Round((decimal)(random.NextDouble() * 800), 2), decimal.Round((decimal)(random.NextDouble() * 800), 2));
            if (was is not null)
            {
                earlier.Add(new TierPlacement(id, was, before));
            }

            if (now is not null)
            {
                later.Add(new TierPlacement(id, now, after));
            }

            tally.Add(was is null ? null : (was, before), now is null ? null : (now, after));
        }

        var expected = MigrationMatrix.Between(earlier, later);
        var counted = tally.Matrix();

        Assert.Equal(expected.Cells, counted.Cells);
        Assert.Equal(expected.Total, counted.Total);
        Assert.Equal(earlier.Count, MigrationMatrix.Rows.SkipLast(1).Sum(r => counted.RowTotal(r).Customers));
        Assert.Equal(later.Count, MigrationMatrix.Columns.SkipLast(1).Sum(c => counted.ColumnTotal(c).Customers));
    }
}
