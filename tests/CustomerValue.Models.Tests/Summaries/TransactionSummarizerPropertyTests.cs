using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Tests.Summaries;

public class TransactionSummarizerPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Summarize_AnyTransactions_ProducesSummariesThatPassTheModelRules(int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2023, 1, 1);
        var transactions = Enumerable.Range(0, 5_000).Select(_ => new Transaction(
            $"c{random.Next(300)}",
            start.AddDays(random.Next(500)).AddHours(random.Next(24)),
            random.NextDouble() < 0.15 ? -Math.Round((decimal)random.NextDouble() * 80, 2) : Math.Round((decimal)random.NextDouble() * 120, 2))).ToArray();

        foreach (var unit in new[] { TimeUnit.Days, TimeUnit.Weeks })
        {
            var result = TransactionSummarizer.Summarize(transactions, start.AddDays(400), unit);

            Assert.Empty(SummaryValidator.Check(result.Summaries));
            Assert.All(result.Issues, i => Assert.InRange(i.Row, 1, transactions.Length));
            Assert.Equal(result.Summaries.Count, result.Histories.Count);
            foreach (var (s, h) in result.Summaries.Zip(result.Histories))
            {
                Assert.Equal(s.Id, h.Id);
                Assert.Equal(h.Orders - 1, s.Frequency);
                Assert.True(h.TotalSpend >= 0);
                Assert.True(s.Frequency == 0 || s.MonetaryValue >= 0);
            }
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Summarize_WithReturns_HasTheSameCustomersAndOccasionsAsWithoutThem_AndNeverMoreSpend(int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2023, 1, 1);
        var transactions = Enumerable.Range(0, 5_000).Select(_ => new Transaction(
            $"c{random.Next(300)}",
            start.AddDays(random.Next(500)),
            random.NextDouble() < 0.2 ? -Math.Round((decimal)random.NextDouble() * 150, 2) : Math.Round((decimal)random.NextDouble() * 120, 2))).ToArray();
        var end = start.AddDays(400);

        var withReturns = TransactionSummarizer.Summarize(transactions, end);
        var salesOnly = TransactionSummarizer.Summarize(transactions.Where(t => t.Amount >= 0), end);

        // Returns reduce spend only: who bought, how often, when first and last, are the sales' own.
        Assert.Equal(salesOnly.Summaries.Select(x => (x.Id, x.Frequency, x.Recency, x.T)), withReturns.Summaries.Select(x => (x.Id, x.Frequency, x.Recency, x.T)));
        foreach (var (net, gross) in withReturns.Histories.Zip(salesOnly.Histories))
        {
            Assert.InRange(net.TotalSpend, 0m, gross.TotalSpend);
        }
    }
}
