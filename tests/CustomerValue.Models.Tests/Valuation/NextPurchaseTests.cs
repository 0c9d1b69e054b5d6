using CustomerValue.Models.BgNbd;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.Tests.Valuation;

/// <summary>The next-purchase search with its regula falsi shortcut gives the plain bisection's answer to the bit.</summary>
public class NextPurchaseTests
{
    public static TheoryData<string, double> Models => new()
    {
        { "bgnbd", 12 },
        { "paretonbd", 12 },
        { "mbgnbd", 12 },
        { "bgnbd", 7.5 }, // a cap that ends within a month
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void NextPurchase_EqualsTheBisection_ForEveryHistory(string name, double capMonths)
    {
        var rows = CustomerBaseSimulator.SimulateSummaries(3000, 365, GenerativeParameters.ShopInDays, new Random(3));
        IRepeatPurchaseModel model = name switch
        {
            "paretonbd" => ParetoNbdModel.Fit(rows),
            "mbgnbd" => MbgNbdModel.Fit(rows),
            _ => BgNbdModel.Fit(rows),
        };
        var options = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Days), IncludeNextPurchase = true, NextPurchaseCapMonths = capMonths };
        int found = 0;
        foreach (var (x, tx, t) in rows.Select(r => (r.Frequency, r.Recency, r.T)).Distinct())
        {
            var monthly = new double[(int)Math.Ceiling(capMonths) + 1];
            for (int m = 1; m < monthly.Length; m++)
            {
                monthly[m] = model.ExpectedPurchasesIfAlive(m * options.TimeUnitsPerMonth, x, t);
            }

            double alive = model.ProbabilityAlive(x, tx, t);
            double fast = CustomerValuation.NextPurchase(model, monthly, alive, x, t, options);
            double plain = CustomerValuation.NextPurchaseByBisection(model, monthly, alive, x, t, options);

            Assert.Equal(BitConverter.DoubleToInt64Bits(plain), BitConverter.DoubleToInt64Bits(fast));
            found += double.IsNaN(plain) ? 0 : 1;
        }

        Assert.True(found > 50, $"only {found} histories reach one expected purchase within the cap");
    }
}
