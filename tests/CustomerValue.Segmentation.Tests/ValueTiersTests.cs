using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Tiers;

namespace CustomerValue.Segmentation.Tests;

public sealed class ValueTiersTests
{
    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(1, 1, 0, 0)]
    [InlineData(2, 1, 1, 0)]
    [InlineData(3, 1, 1, 1)]
    [InlineData(5, 1, 3, 1)]
    [InlineData(7, 1, 5, 1)]
    [InlineData(8, 2, 4, 2)]
    [InlineData(10, 2, 6, 2)]
    [InlineData(11, 2, 7, 2)]
    [InlineData(13, 3, 7, 3)]
    [InlineData(100, 20, 60, 20)]
    [InlineData(1001, 200, 601, 200)]
    public void Assign_SplitsTwentySixtyTwentyRoundedToTheNearestCustomer(int n, int top, int middle, int bottom)
    {
        var tiers = ValueTiers.Assign(Customers(n));

        Assert.Equal(n, tiers.Count);
        Assert.Equal(top, tiers.Values.Count(t => t == SegmentNames.Top20));
        Assert.Equal(middle, tiers.Values.Count(t => t == SegmentNames.Middle60));
        Assert.Equal(bottom, tiers.Values.Count(t => t == SegmentNames.Bottom20));
    }

    [Fact]
    public void Assign_PutsTheMostValuableOnTopAndTheLeastAtTheBottom()
    {
        var tiers = ValueTiers.Assign(Customers(10));

        Assert.Equal(SegmentNames.Top20, tiers["c-09"]);
        Assert.Equal(SegmentNames.Top20, tiers["c-08"]);
        Assert.Equal(SegmentNames.Middle60, tiers["c-07"]);
        Assert.Equal(SegmentNames.Middle60, tiers["c-02"]);
        Assert.Equal(SegmentNames.Bottom20, tiers["c-01"]);
        Assert.Equal(SegmentNames.Bottom20, tiers["c-00"]);
    }

    [Fact]
    public void Assign_OneCustomer_IsInTheTopTier()
    {
        Assert.Equal(SegmentNames.Top20, Assert.Single(ValueTiers.Assign([("only", 0m)])).Value);
    }

    [Fact]
    public void Assign_TiedValues_BreakTiesByProfileIdWhateverTheInputOrder()
    {
        (string, decimal)[] customers = [("c", 5m), ("a", 5m), ("e", 5m), ("b", 5m), ("d", 5m)];

        var forward = ValueTiers.Assign(customers);
        var backward = ValueTiers.Assign(customers.Reverse());

        Assert.Equal(SegmentNames.Top20, forward["a"]);
        Assert.Equal(SegmentNames.Bottom20, forward["e"]);
        Assert.Equal(forward.OrderBy(t => t.Key, StringComparer.Ordinal), backward.OrderBy(t => t.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Assign_TiesUseOrdinalIdOrder()
    {
        // Ordinal: upper case sorts before lower case, so the culture of the machine cannot change the split.
        var tiers = ValueTiers.Assign([("b", 1m), ("B", 1m), ("a", 1m), ("A", 1m), ("c", 1m)]);

        Assert.Equal(SegmentNames.Top20, tiers["A"]);
        Assert.Equal(SegmentNames.Bottom20, tiers["c"]);
    }

    [Fact]
    public void Assign_NegativeValues_RankBelowZero()
    {
        var tiers = ValueTiers.Assign([("refunder", -50m), ("zero", 0m), ("buyer", 20m), ("m1", 10m), ("m2", 5m)]);

        Assert.Equal(SegmentNames.Top20, tiers["buyer"]);
        Assert.Equal(SegmentNames.Bottom20, tiers["refunder"]);
    }

    private static IEnumerable<(string ProfileId, decimal Value)> Customers(int n) =>
        Enumerable.Range(0, n).Select(i => ($"c-{i:D2}", (decimal)i * 10m)).Reverse();
}
