using CustomerValue.Segmentation.Migrations;

namespace CustomerValue.Segmentation.Tests.Migrations;

public sealed class MigrationMatrixTests
{
    private static readonly TierPlacement[] Earlier =
    [
        new("a", "top-20", 500m), new("b", "top-20", 400m),
        new("c", "middle-60", 200m), new("d", "middle-60", 150m), new("e", "middle-60", 120m), new("f", "middle-60", 100m),
        new("g", "bottom-20", 20m), new("h", "bottom-20", 10m),
    ];

    private static readonly TierPlacement[] Later =
    [
        new("a", "top-20", 520m), new("c", "top-20", 450m),
        new("b", "middle-60", 180m), new("d", "middle-60", 160m), new("g", "middle-60", 90m), new("n1", "middle-60", 80m),
        new("e", "bottom-20", 30m), new("n2", "bottom-20", 5m),
    ];

    [Fact]
    public void Between_CountsAndValuesEveryMove()
    {
        var matrix = MigrationMatrix.Between(Earlier, Later);

        Assert.Equal(new MigrationCell(1, 520m), matrix["top-20", "top-20"]);
        Assert.Equal(new MigrationCell(1, 180m), matrix["top-20", "middle-60"]);
        Assert.Equal(new MigrationCell(1, 450m), matrix["middle-60", "top-20"]);
        Assert.Equal(new MigrationCell(1, 30m), matrix["middle-60", "bottom-20"]);
        Assert.Equal(new MigrationCell(1, 100m), matrix["middle-60", "(gone)"]);
        Assert.Equal(new MigrationCell(1, 90m), matrix["bottom-20", "middle-60"]);
        Assert.Equal(new MigrationCell(1, 10m), matrix["bottom-20", "(gone)"]);
        Assert.Equal(new MigrationCell(1, 80m), matrix["(new)", "middle-60"]);
        Assert.Equal(new MigrationCell(1, 5m), matrix["(new)", "bottom-20"]);
        Assert.Equal(MigrationCell.Empty, matrix["top-20", "(gone)"]);
    }

    [Fact]
    public void Between_RowsAddUpToTheEarlierTiersAndColumnsToTheLater()
    {
        var matrix = MigrationMatrix.Between(Earlier, Later);

        foreach (var tier in new[] { "top-20", "middle-60", "bottom-20" })
        {
            Assert.Equal(Earlier.Count(p => p.Tier == tier), matrix.RowTotal(tier).Customers);
            Assert.Equal(Later.Count(p => p.Tier == tier), matrix.ColumnTotal(tier).Customers);
            Assert.Equal(Later.Where(p => p.Tier == tier).Sum(p => p.PredictedClv), matrix.ColumnTotal(tier).PredictedClv);
        }

        Assert.Equal(2, matrix.RowTotal("(new)").Customers);
        Assert.Equal(2, matrix.ColumnTotal("(gone)").Customers);
        Assert.Equal(110m, matrix.ColumnTotal("(gone)").PredictedClv);
        Assert.Equal(Earlier.Length + 2, matrix.Total.Customers);
        Assert.Equal(matrix.Total, new MigrationCell(matrix.Cells.Sum(c => c.Cell.Customers), matrix.Cells.Sum(c => c.Cell.PredictedClv)));
        Assert.Equal(16, matrix.Cells.Count());
    }
}
