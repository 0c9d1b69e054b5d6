using CustomerValue.Models.BgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.Tests.Valuation;

public class PurchaseTimingTests
{
    private static readonly BgNbdParameters Cdnow = new(0.2426, 4.414, 0.7929, 2.426);

    [Fact]
    public void ExpectedTimeBetweenPurchases_IsThePosteriorMeanOfOneOverLambda()
    {
        // λ | x, T ~ Gamma(r + x, α + T): E[1/λ] = (α + T)/(r + x − 1).
        Assert.Equal((4.414 + 38.86) / (0.2426 + 2 - 1), PurchaseTiming.ExpectedTimeBetweenPurchases(Cdnow, 2, 38.86, 5), 12);
        Assert.Null(PurchaseTiming.MeanTimeBetweenPurchases(0.2426, 4.414, 0, 30));
    }

    [Fact]
    public void OneTimeBuyers_UseTheShopMedianGap()
    {
        Assert.Equal(5, PurchaseTiming.ExpectedTimeBetweenPurchases(Cdnow, 0, 30, 5));
        Assert.Equal(2.5, PurchaseTiming.ShopMedianGap([new(2, 4, 9, 1), new(1, 3, 5, 1), new(0, 0, 7, 0), new(4, 4, 10, 1), new(3, 9, 9, 1)]));
    }

    [Fact]
    public void ExpectedNextPurchase_IsAnchoredAtTheLastOrder()
    {
        // Last order 8.43 weeks before the calibration end; the gap is (4.414 + 38.86)/1.2426 = 34.8 weeks.
        double gap = (4.414 + 38.86) / 1.2426;
        Assert.Equal(30.43 + gap - 38.86, PurchaseTiming.ExpectedNextPurchaseFromNow(Cdnow, 2, 30.43, 38.86, 5), 12);

        var end = new DateTime(1997, 9, 30);
        Assert.Equal(end.AddDays(Math.Round((30.43 + gap - 38.86) * 7)), PurchaseTiming.ExpectedNextPurchaseDate(Cdnow, 2, 30.43, 38.86, 5, end, TimeUnit.Weeks));

        // A customer whose gap has passed long ago is overdue: the date lies before the calibration end.
        Assert.True(PurchaseTiming.ExpectedNextPurchaseFromNow(Cdnow, 10, 2, 38.86, 5) < 0);
    }

    [Fact]
    public void Fits_AndTheirBoundaryLimits_GiveTheGapOfTheirOwnPurchaseRatePrior()
    {
        var fit = BgNbdModel.Fit(CdnowData.SummaryWithTransactions);
        Assert.Equal(PurchaseTiming.ExpectedTimeBetweenPurchases(fit.Parameters, 3, 30, 1), PurchaseTiming.ExpectedTimeBetweenPurchases(fit, 3, 30, 1));

        // The limit models a run record can name, as the real-time rescore rebuilds them: each has its Gamma(r, α) prior.
        IRepeatPurchaseModel[] limits =
        [
            new ConstantDropoutParameters(0.5, 10, 0.1),
            new ConstantDropoutParameters(0.5, 10, 0.1, DropsAfterFirstPurchase: true),
            new ConstantRateParameters(0.5, 10, 0.01),
            new ParetoNbdParameters(0.5, 10, 1e-9, 1),
        ];
        foreach (var limit in limits)
        {
            Assert.Equal((10 + 30) / (0.5 + 3 - 1), PurchaseTiming.ExpectedTimeBetweenPurchases(limit, 3, 30, 1), 12);
        }
    }
}
