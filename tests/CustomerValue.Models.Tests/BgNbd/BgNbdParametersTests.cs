using CustomerValue.Models.BgNbd;

namespace CustomerValue.Models.Tests.BgNbd;

public class BgNbdParametersTests
{
    private static readonly BgNbdParameters Cdnow = new(0.2426, 4.414, 0.7929, 2.426);

    [Fact]
    public void ExpectedPurchases_ForPublishedCustomer_Is1Point2259()
    {
        // FHL 2005 §5: x = 2, t_x = 30.43, T = 38.86, next 39 weeks → 1.2259.
        Assert.Equal(1.2259, Cdnow.ExpectedPurchases(39, 2, 30.43, 38.86), 4);
    }

    [Fact]
    public void ExpectedPurchases_ForNewCustomer_EqualsConditionalWithEmptyHistory()
    {
        Assert.Equal(Cdnow.ExpectedPurchases(52, 0, 0, 0), Cdnow.ExpectedPurchases(52), 12);
        Assert.Equal(0, Cdnow.ExpectedPurchases(0, 3, 10, 20));
    }

    [Fact]
    public void ProbabilityAlive_IsOneWithoutRepeatPurchasesAndFallsWithSilence()
    {
        Assert.Equal(1, Cdnow.ProbabilityAlive(0, 0, 30));
        Assert.True(Cdnow.ProbabilityAlive(5, 30, 31) > Cdnow.ProbabilityAlive(5, 5, 31));
        Assert.InRange(Cdnow.ProbabilityAlive(200, 1, 78), 0, 1e-10); // no overflow for heavy buyers gone quiet
    }

    [Fact]
    public void ExpectedPurchases_ForVeryFrequentBuyer_StaysFinite()
    {
        double e = Cdnow.ExpectedPurchases(52, 500, 77.9, 78);
        Assert.True(double.IsFinite(e) && e > 100, $"{e}");
    }
}
