using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Simulation;

namespace CustomerValue.Models.Tests.Simulation;

public class CustomerBaseSimulatorTests
{
    private static readonly GenerativeParameters Shop = GenerativeParameters.ShopInDays;

    [Fact]
    public void Simulate_WithSameSeed_IsDeterministic()
    {
        var first = CustomerBaseSimulator.Simulate(500, 365, Shop, new Random(7)).ToList();
        var second = CustomerBaseSimulator.Simulate(500, 365, Shop, new Random(7)).ToList();

        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].BirthTime, second[i].BirthTime);
            Assert.Equal(first[i].Purchases, second[i].Purchases);
        }

        Assert.Equal(
            CustomerBaseSimulator.SimulateSummaries(500, 365, Shop, new Random(3)),
            CustomerBaseSimulator.SimulateSummaries(500, 365, Shop, new Random(3)));
    }

    [Fact]
    public void Simulate_PurchasesStartAtBirthAndStayInTheWindowInTimeOrder()
    {
        foreach (var customer in CustomerBaseSimulator.Simulate(2_000, 365, Shop, new Random(11)))
        {
            Assert.InRange(customer.BirthTime, 0, 365);
            Assert.Equal(customer.BirthTime, customer.Purchases[0].Time);
            for (int i = 1; i < customer.Purchases.Count; i++)
            {
                Assert.True(customer.Purchases[i].Time >= customer.Purchases[i - 1].Time);
                Assert.True(customer.Purchases[i].Time <= 365);
            }

            Assert.All(customer.Purchases, p => Assert.True(p.Amount > 0));
        }
    }

    [Fact]
    public void SimulateSummaries_InWholeDays_FollowsTheSummaryRules()
    {
        var rows = CustomerBaseSimulator.SimulateSummaries(20_000, 365.5, Shop, new Random(5));

        Assert.All(rows, row =>
        {
            Assert.Equal(Math.Floor(row.T), row.T);
            Assert.Equal(Math.Floor(row.Recency), row.Recency);
            Assert.InRange(row.T, 0, 365);
            Assert.InRange(row.Recency, 0, row.T);
            if (row.Frequency == 0)
            {
                Assert.Equal(0, row.Recency);
                Assert.Equal(0, row.MonetaryValue);
            }
            else
            {
                Assert.True(row.MonetaryValue > 0);
                Assert.True(row.Recency >= 1);
            }
        });
    }

    [Fact]
    public void SimulateSummaries_MeanRepeatPurchases_MatchesBgNbdExpectation()
    {
        // E[X(T)] of FHL 2005 eq. (9) averaged over each customer's own T, against the simulated counts.
        const int n = 200_000;
        var rows = CustomerBaseSimulator.SimulateSummaries(n, 365, Shop, new Random(2024), wholeTimeUnits: false);
        var model = new BgNbdParameters(Shop.R, Shop.Alpha, Shop.A, Shop.B);

        var differences = rows.Select(row => row.Frequency - model.ExpectedPurchases(row.T)).ToArray();
        double mean = differences.Average();
        double sd = Math.Sqrt(differences.Select(d => (d - mean) * (d - mean)).Sum() / (n - 1));

        Assert.True(Math.Abs(mean) < 4 * sd / Math.Sqrt(n), $"mean difference {mean}, 4 standard errors {4 * sd / Math.Sqrt(n)}");
        Assert.InRange(rows.Average(r => r.Frequency), 0.5, 2.0); // a plausible shop: about one repeat purchase a year
    }

    [Fact]
    public void Simulate_MeanTransactionValue_MatchesGammaGammaExpectation()
    {
        // E[Z] = p γ / (q − 1) (Fader, Hardie & Lee 2005, "RFM and CLV", §4); first purchases are one independent draw each.
        const int n = 200_000;
        var firstAmounts = CustomerBaseSimulator.Simulate(n, 365, Shop, new Random(99)).Select(c => c.Purchases[0].Amount).ToArray();
        double mean = firstAmounts.Average();
        double sd = Math.Sqrt(firstAmounts.Select(z => (z - mean) * (z - mean)).Sum() / (n - 1));

        Assert.InRange(Shop.MeanTransactionValue, 60, 90);
        Assert.True(Math.Abs(mean - Shop.MeanTransactionValue) < 4 * sd / Math.Sqrt(n), $"mean {mean}, expected {Shop.MeanTransactionValue}");
    }

    [Fact]
    public void SimulateSummaries_MeanRepeatValue_MatchesGammaGammaExpectation()
    {
        const int n = 200_000;
        var buyers = CustomerBaseSimulator.SimulateSummaries(n, 365, Shop, new Random(17)).Where(r => r.Frequency > 0).ToArray();
        var values = buyers.Select(r => r.MonetaryValue).ToArray();
        double mean = values.Average();
        double sd = Math.Sqrt(values.Select(z => (z - mean) * (z - mean)).Sum() / (values.Length - 1));

        Assert.True(Math.Abs(mean - Shop.MeanTransactionValue) < 4 * sd / Math.Sqrt(values.Length), $"mean {mean}, expected {Shop.MeanTransactionValue}");
    }

    [Fact]
    public void Simulate_ShareStillAlive_MatchesMeanBgNbdProbabilityAlive()
    {
        const int n = 100_000;
        var customers = CustomerBaseSimulator.Simulate(n, 365, Shop, new Random(31)).ToArray();
        var model = new BgNbdParameters(Shop.R, Shop.Alpha, Shop.A, Shop.B);

        double alive = customers.Count(c => c.IsAlive) / (double)n;
        double predicted = customers.Average(c => model.ProbabilityAlive(
            c.RepeatPurchases, c.Purchases[^1].Time - c.BirthTime, 365 - c.BirthTime));

        Assert.True(Math.Abs(alive - predicted) < 4 * Math.Sqrt(alive * (1 - alive) / n), $"alive {alive}, predicted {predicted}");
    }
}
