using CustomerValue.Publishing.Holdouts;

namespace CustomerValue.Publishing.Tests.Delivery;

public sealed class HoldoutPolicyTests
{
    [Fact]
    public void Draw_IsDeterministicAndDiffersBySegment()
    {
        Assert.Equal(HoldoutPolicy.Draw("cp-1", "top-20"), HoldoutPolicy.Draw("cp-1", "top-20"));
        Assert.NotEqual(HoldoutPolicy.Draw("cp-1", "top-20"), HoldoutPolicy.Draw("cp-1", "dormant"));
    }

    [Fact]
    public void HeldOutShare_IsCloseToTheConfiguredShare()
    {
        var policy = new HoldoutPolicy(new Dictionary<string, double> { ["top-20"] = 0.1 });

        var held = Enumerable.Range(0, 20_000).Count(i => policy.IsHeldOut($"cp-{i}", "top-20"));

        // Binomial(20000, 0.1): standard deviation ≈ 42, so ±250 is six of them.
        Assert.InRange(held, 2000 - 250, 2000 + 250);
        Assert.Equal(0, Enumerable.Range(0, 1000).Count(i => policy.IsHeldOut($"cp-{i}", "dormant")));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(0.6)]
    [InlineData(double.NaN)]
    public void ShareOutsideTheRange_IsRefused(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldoutPolicy(new Dictionary<string, double> { ["top-20"] = share }));
}
