using System.Globalization;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Tests.Summaries;

public class TransactionSummarizerTests
{
    private static readonly DateTime CalibrationEnd = new(1997, 9, 30);

    [Fact]
    public void Summarize_CdnowSample_ReproducesThePublishedSummary()
    {
        var transactions = CdnowData.Transactions("CDNOW_sample.txt", idColumn: 1, dateColumn: 2, amountColumn: 4)
            .Select(t => new Transaction(int.Parse(t.Id, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), t.Date, t.Amount));

        var result = TransactionSummarizer.Summarize(transactions, CalibrationEnd, TimeUnit.Weeks);

        var expected = CdnowData.SummaryWithTransactions.ToDictionary(s => s.Id);
        Assert.Equal(expected.Count, result.Summaries.Count);
        Assert.Empty(result.Issues);
        foreach (var actual in result.Summaries)
        {
            var e = expected[actual.Id];
            Assert.Equal(e.Frequency, actual.Frequency);
            Assert.True(Math.Abs(e.Recency - actual.Recency) <= 0.005, $"{actual.Id}: t_x {actual.Recency} vs {e.Recency}");
            Assert.True(Math.Abs(e.T - actual.T) <= 0.005, $"{actual.Id}: T {actual.T} vs {e.T}");
            Assert.True(Math.Abs(e.MonetaryValue - actual.MonetaryValue) <= 0.0051, $"{actual.Id}: zbar {actual.MonetaryValue} vs {e.MonetaryValue}");
        }

        Assert.True(result.TransactionsAfterCalibrationEnd > 0);
    }

    [Fact]
    public void Summarize_ShuffledTransactions_GiveTheSameSummariesHistoriesAndIssues()
    {
        // Days are kept per customer in flat arrays and found again by walking the customer's chain: the order the
        // transactions come in must not matter, same-day rows must still net, and an issue still names its first row.
        var random = new Random(11);
        var transactions = new List<Transaction>();
        for (var c = 0; c < 60; c++)
        {
            for (var k = random.Next(1, 9); k > 0; k--)
            {
                var day = new DateTime(2024, 1, 1).AddDays(random.Next(0, 40)).AddHours(random.Next(0, 20));
                transactions.Add(new Transaction("c" + c, day, random.Next(6) == 0 ? -random.Next(1, 90) : random.Next(0, 120) + 0.25m));
            }
        }

        var inOrder = TransactionSummarizer.Summarize([.. transactions.OrderBy(t => t.CustomerId, StringComparer.Ordinal).ThenBy(t => t.Date)], new DateTime(2024, 2, 1));
        var shuffled = TransactionSummarizer.Summarize([.. transactions.OrderBy(_ => random.Next())], new DateTime(2024, 2, 1));

        Assert.Equal(inOrder.Summaries, shuffled.Summaries);
        Assert.Equal(inOrder.Histories, shuffled.Histories);
        Assert.Equal(inOrder.Issues.Count, shuffled.Issues.Count);
        Assert.Equal(inOrder.Issues.Select(i => (i.CustomerId, i.Message)).Order(), shuffled.Issues.Select(i => (i.CustomerId, i.Message)).Order());
        Assert.Equal([.. inOrder.Summaries.Select(s => s.Id).Order(StringComparer.Ordinal)], inOrder.Summaries.Select(s => s.Id));
        Assert.NotEmpty(inOrder.Issues);
    }

    [Fact]
    public void Summarize_SameDayPurchases_CountOnceWithTheirSum()
    {
        var result = TransactionSummarizer.Summarize(
        [
            new("a", new DateTime(2024, 1, 1, 9, 0, 0), 10m),
            new("a", new DateTime(2024, 1, 1, 17, 0, 0), 5m),
            new("a", new DateTime(2024, 1, 11), 20m),
            new("a", new DateTime(2024, 1, 11, 12, 0, 0), 10m),
            new("a", new DateTime(2024, 1, 21), 40m),
        ], new DateTime(2024, 1, 31));

        var s = Assert.Single(result.Summaries);
        Assert.Equal(new CustomerSummary("a", 2, 20, 30, 35), s);
        var h = Assert.Single(result.Histories);
        Assert.Equal(3, h.Orders);
        Assert.Equal(85m, h.TotalSpend);
        Assert.Equal(10, h.AverageDaysBetweenOrders);
    }

    [Fact]
    public void Summarize_Returns_ReduceSpendButNeverRemoveAPurchaseOccasion()
    {
        var result = TransactionSummarizer.Summarize(
        [
            new("b", new DateTime(2024, 2, 1), 30m),
            new("b", new DateTime(2024, 2, 8), 50m),
            new("b", new DateTime(2024, 2, 9), -20m), // partial return of the 8th
            new("b", new DateTime(2024, 2, 15), 25m),
            new("b", new DateTime(2024, 2, 16), -25m), // full return: the 15th is still an occasion, worth nothing
            new("c", new DateTime(2024, 2, 2), -5m), // return without purchase
            new("c", new DateTime(2024, 2, 3), 12m),
            new("d", new DateTime(2024, 3, 1), 99m), // after the calibration end
        ], new DateTime(2024, 2, 29), TimeUnit.Days);

        var b = result.Summaries.Single(s => s.Id == "b");
        Assert.Equal(new CustomerSummary("b", 2, 14, 28, 15), b);
        var c = result.Summaries.Single(s => s.Id == "c");
        Assert.Equal(new CustomerSummary("c", 0, 0, 26, 0), c);
        var issue = Assert.Single(result.Issues);
        Assert.Equal(6, issue.Row);
        Assert.Equal("c", issue.CustomerId);
        Assert.Equal(1, result.TransactionsAfterCalibrationEnd);
        Assert.Empty(SummaryValidator.Check(result.Summaries, requirePositiveMonetaryValue: true));
    }

    [Fact]
    public void Summarize_AReturnLargerThanItsDay_TakesTheRestFromEarlierDaysDownToZero_KeepingEveryOccasion()
    {
        var result = TransactionSummarizer.Summarize(
        [
            new("e", new DateTime(2024, 2, 1), 40m),
            new("e", new DateTime(2024, 2, 5), 10m),
            new("e", new DateTime(2024, 2, 9), 30m),
            new("e", new DateTime(2024, 2, 9), -60m), // a same-day return worth more than the day: 30 more off earlier days
        ], new DateTime(2024, 2, 29), TimeUnit.Days);

        var e = Assert.Single(result.Summaries);
        Assert.Equal(2, e.Frequency); // three occasions, none removed
        Assert.Equal(8, e.Recency);
        Assert.Equal(0, e.MonetaryValue); // Feb 9 and Feb 5 are worth nothing after the return, Feb 1 keeps 20 of its 40
        Assert.Equal(20m, Assert.Single(result.Histories).TotalSpend);
        Assert.Empty(result.Issues);
    }

    [Fact]
    public void Summarize_InWeeks_UsesFractionalWeeks()
    {
        var result = TransactionSummarizer.Summarize(
            [new("w", new DateTime(2024, 1, 1), 1m), new("w", new DateTime(2024, 1, 4), 1m)], new DateTime(2024, 1, 15), TimeUnit.Weeks);

        var s = Assert.Single(result.Summaries);
        Assert.Equal(3 / 7.0, s.Recency, 12);
        Assert.Equal(2.0, s.T, 12);
        Assert.Equal(4.348, TimeUnits.PerMonth(TimeUnit.Weeks), 3);
    }
}
