using System.Diagnostics;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Valuation;

public class CustomerValuationTests(ITestOutputHelper output)
{
    private static readonly BgNbdParameters CdnowWeekly = new(0.2426, 4.414, 0.7929, 2.426);
    private static readonly GammaGammaParameters CdnowSpend = new(6.25, 3.74, 15.44);

    /// <summary>A customer buying at a constant rate forever: E[Y(t)] = rate · t.</summary>
    private sealed class ConstantRate(double rate) : IRepeatPurchaseModel
    {
        public double R => throw new NotSupportedException("A constant rate has no prior to read.");

        public double Alpha => throw new NotSupportedException("A constant rate has no prior to read.");

        public double ExpectedPurchases(double horizon, double x, double tx, double T) => rate * horizon;

        public double ProbabilityAlive(double x, double tx, double T) => 1;

        public double ExpectedPurchases(double horizon) => rate * horizon;

        public double ExpectedPurchasesIfAlive(double horizon, double x, double T) => rate * horizon;
    }

    [Fact]
    public void PredictedClv_ForConstantRate_IsTheDiscountedAnnuity()
    {
        var options = new ValuationOptions { HorizonMonths = 12, MonthlyDiscountRate = 0.01, GrossMargin = 0.3, TimeUnitsPerMonth = 30 };

        double clv = CustomerValuation.PredictedClv(new ConstantRate(0.1), 50, 0, 0, 10, options);

        double expected = 0.3 * 50 * 3 * Enumerable.Range(1, 12).Sum(m => Math.Pow(1.01, -m));
        Assert.Equal(expected, clv, 10);
    }

    [Fact]
    public void PredictedClv_DoesNotDependOnTheTimeUnit()
    {
        // The same model in weeks and in days (alpha x 7) gives the same CLV when the month is expressed in the right unit.
        var inDays = CdnowWeekly with { Alpha = CdnowWeekly.Alpha * 7 };
        var weeks = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Weeks) };
        var days = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Days) };

        double clvWeeks = CustomerValuation.PredictedClv(CdnowWeekly, 35, 2, 30.43, 38.86, weeks);
        double clvDays = CustomerValuation.PredictedClv(inDays, 35, 2, 30.43 * 7, 38.86 * 7, days);

        Assert.Equal(clvWeeks, clvDays, 9);
        Assert.InRange(clvWeeks, 10, 100);
    }

    [Fact]
    public void TimeToNextPurchase_IsWhereExpectedPurchasesReachOne()
    {
        Assert.Equal(10.0, CustomerValuation.TimeToNextPurchase(new ConstantRate(0.1), 0, 0, 0, 100)!.Value, 4);

        double t = CustomerValuation.TimeToNextPurchase(CdnowWeekly, 8, 38, 39, 52)!.Value;
        Assert.Equal(1.0, CdnowWeekly.ExpectedPurchases(t, 8, 38, 39), 5);

        // A one-off buyer long gone never reaches one expected purchase within a year.
        Assert.Null(CustomerValuation.TimeToNextPurchase(CdnowWeekly, 1, 1, 39, 52));
        Assert.Equal(new DateTime(1997, 9, 30).AddDays(Math.Round(t * 7)),
            CustomerValuation.ExpectedNextPurchaseDate(CdnowWeekly, 8, 38, 39, new DateTime(1997, 9, 30), TimeUnit.Weeks));
    }

    [Fact]
    public void Score_MatchesThePerCustomerFormulas()
    {
        var customers = CdnowData.SummaryWithTransactions;
        var options = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Weeks), IncludeNextPurchase = true, GrossMargin = 0.25 };

        var scores = CustomerValuation.Score(CdnowWeekly, CdnowSpend, customers, options);

        for (int i = 0; i < customers.Count; i += 97)
        {
            var c = customers[i];
            var s = scores[i];
            Assert.Equal(CdnowWeekly.ProbabilityAlive(c.Frequency, c.Recency, c.T), s.ProbabilityAlive, 12);
            Assert.Equal(1 - s.ProbabilityAlive, s.ChurnProbability, 12);
            Assert.Equal(CdnowWeekly.ExpectedPurchases(12 * options.TimeUnitsPerMonth, c.Frequency, c.Recency, c.T), s.ExpectedPurchases, 10);
            double spend = CdnowSpend.ExpectedAverageSpend(c.Frequency, c.MonetaryValue);
            Assert.Equal(spend, s.ExpectedAverageSpend, 10);
            Assert.Equal(CustomerValuation.PredictedClv(CdnowWeekly, spend, c.Frequency, c.Recency, c.T, options), s.PredictedClv, 8);
            var next = CustomerValuation.TimeToNextPurchase(CdnowWeekly, c.Frequency, c.Recency, c.T, 12 * options.TimeUnitsPerMonth);
            // The batch search stops at a ten-thousandth of a month; the single-customer one at a millionth of the cap.
            Assert.Equal(next is null, double.IsNaN(s.TimeToNextPurchase));
            if (next is not null)
            {
                Assert.InRange(s.TimeToNextPurchase - next.Value, -1e-4 * options.TimeUnitsPerMonth, 1e-4 * options.TimeUnitsPerMonth);
            }
        }
    }

    /// <summary>
    /// Times on the two-decimal grid are grouped by their scaled values, other times by their ranks: the same customers
    /// share a history either way, in the same order, with the same scores (one off-grid customer appended forces the ranks).
    /// </summary>
    [Fact]
    public void ScoreHistories_GroupsTheSameOnAndOffTheDecimalGrid()
    {
        var random = new Random(7);
        var rows = new List<SummaryRow>();
        for (int i = 0; i < 5_000; i++)
        {
            double t = Math.Round(random.Next(0, 366) / 7.0, 2);
            double x = random.Next(0, 3) == 0 ? random.Next(1, 12) : 0;
            rows.Add(new SummaryRow(x, x > 0 ? Math.Round(random.NextDouble() * t, 2) : 0, t, 0));
        }

        var options = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Weeks), IncludeNextPurchase = true };
        var onGrid = CustomerValuation.ScoreHistories(CdnowWeekly, rows.ToArray(), options);
        var offGrid = CustomerValuation.ScoreHistories(CdnowWeekly, [.. rows, new SummaryRow(1, 1.0 / 7, 30.0 / 7, 0)], options);

        Assert.Equal(onGrid.HistoryOf, offGrid.HistoryOf.Take(rows.Count));
        Assert.Equal(onGrid.Histories, offGrid.Histories.Take(onGrid.Histories.Length));
        Assert.Equal(onGrid.Histories.Length + 1, offGrid.Histories.Length);
    }

    public static TheoryData<string> EveryModel => ["bgnbd", "mbgnbd", "paretonbd", "constant-dropout", "constant-rate"];

    /// <summary>
    /// The batch scorer evaluates the horizon factor once per (x, T) and multiplies by P(alive); every model must give
    /// the same numbers as its own per-customer formula, whatever the history.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryModel))]
    public void Score_EveryModel_MatchesItsPerCustomerFormulas(string name)
    {
        IRepeatPurchaseModel model = name switch
        {
            "bgnbd" => CdnowWeekly,
            "mbgnbd" => new CustomerValue.Models.MbgNbd.MbgNbdParameters(0.525, 6.183, 0.891, 1.614),
            "paretonbd" => new CustomerValue.Models.ParetoNbd.ParetoNbdParameters(0.5533, 10.5776, 0.6061, 11.6650),
            "constant-dropout" => new ConstantDropoutParameters(0.3, 5.0, 0.05),
            _ => new CustomerValue.Models.ParetoNbd.ConstantRateParameters(0.3, 5.0, 0.01),
        };
        var customers = CdnowData.SummaryWithTransactions.Take(400).Append(new CustomerSummary("new", 0, 0, 0, 0)).ToList();
        var options = new ValuationOptions { TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Weeks), IncludeNextPurchase = true };

        var scores = CustomerValuation.Score(model, CdnowSpend, customers, options);

        for (int i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            Assert.Equal(model.ProbabilityAlive(c.Frequency, c.Recency, c.T), scores[i].ProbabilityAlive, 12);
            Assert.Equal(model.ExpectedPurchases(12 * options.TimeUnitsPerMonth, c.Frequency, c.Recency, c.T), scores[i].ExpectedPurchases, 10);
            double discounted = CustomerValuation.DiscountedExpectedPurchases(model, c.Frequency, c.Recency, c.T, options);
            Assert.Equal(discounted * scores[i].ExpectedAverageSpend, scores[i].PredictedClv, 8);
            var next = CustomerValuation.TimeToNextPurchase(model, c.Frequency, c.Recency, c.T, 12 * options.TimeUnitsPerMonth);
            Assert.Equal(next is null, double.IsNaN(scores[i].TimeToNextPurchase));
        }
    }

    [Fact]
    public void Score_AMillionSimulatedCustomers_IsTimed()
    {
        var rows = CustomerBaseSimulator.SimulateSummaries(1_000_000, 365, GenerativeParameters.ShopInDays, new Random(3));
        var purchases = new BgNbdParameters(0.2426, 30.9, 0.79, 2.43);
        var spend = new GammaGammaParameters(6.25, 3.74, 30.88);

        var clock = Stopwatch.StartNew();
        var scores = CustomerValuation.Score(purchases, spend, rows);
        output.WriteLine($"scored 1,000,000 customers (expected purchases, P(alive), 12-month CLV) in {clock.Elapsed.TotalSeconds:F3} s");

        Assert.Equal(rows.Length, scores.Length);
        Assert.All(scores.Take(1000), s => Assert.True(s.PredictedClv >= 0 && s.ProbabilityAlive is > 0 and <= 1));
    }
}
