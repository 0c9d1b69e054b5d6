using System.Globalization;
using System.Text;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Simulation;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Cli.Tests;

/// <summary>
/// <c>clv predict</c> reads in parallel, formats per distinct history and writes UTF-8 buffers; these tests hold its
/// file to the one a plain loop writes: the summaries parsed with double.Parse, fitted, scored per customer with
/// <see cref="CustomerValuation.Score(IRepeatPurchaseModel, GammaGammaParameters, IReadOnlyList{CustomerSummary}, ValuationOptions?)"/>
/// and every value formatted with ToString, byte for byte.
/// </summary>
public class ClvPredictOutputTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\n", true)] // a quoted id: the whole file goes through Sylvan's reader
    public async Task Predict_WritesTheBytesAPerCustomerLoopWrites(string newline, bool quotedId)
    {
        using var folder = new TempFolder();
        var (text, customers) = SummaryFile(4000, newline, quotedId);
        string input = Path.Combine(folder.Root, "customers.csv");
        File.WriteAllText(input, text, new UTF8Encoding(false));
        string output = folder.File("predictions.csv");

        var result = await Cli.RunAsync("clv", "predict", "--input", input, "--time-unit", "weeks", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        byte[] expected = Encoding.UTF8.GetBytes(Reference(customers, horizon: 39));
        byte[] actual = File.ReadAllBytes(output);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Predict_ToStdout_WritesTheSameText()
    {
        using var folder = new TempFolder();
        var (text, customers) = SummaryFile(500, "\n", quotedId: false);
        string input = Path.Combine(folder.Root, "customers.csv");
        File.WriteAllText(input, text);

        var result = await Cli.RunAsync("clv", "predict", "--input", input, "--time-unit", "weeks", "--horizon", "0");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Reference(customers, horizon: 0), result.Output);
    }

    /// <summary>Simulated customers in weeks to two decimals, with ids that need trimming, a non-ASCII id and blank lines.</summary>
    private static (string Text, List<CustomerSummary> Customers) SummaryFile(int count, string newline, bool quotedId)
    {
        var rows = CustomerBaseSimulator.SimulateSummaries(count, 365, GenerativeParameters.ShopInDays, new Random(7));
        var text = new StringBuilder("id,frequency,recency,T,monetary_value" + newline);
        var customers = new List<CustomerSummary>();
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            string id = i switch
            {
                3 => "  padded 3 ",
                5 => "Müller-5",
                7 when quotedId => "\"Smith, J\"",
                _ => (i + 1).ToString(C),
            };
            string recency = (r.Recency / 7).ToString("0.##", C), age = (r.T / 7).ToString("0.##", C), money = r.MonetaryValue.ToString("0.00", C);
            text.Append(C, $"{id},{r.Frequency},{recency},{age},{money}{newline}");
            if (i == 10)
            {
                text.Append(newline); // a blank line is skipped
            }

            string plainId = id.StartsWith('"') ? id.Trim('"') : id.Trim();
            customers.Add(new CustomerSummary(plainId, r.Frequency, double.Parse(recency, C), double.Parse(age, C), double.Parse(money, C)));
        }

        return (text.ToString(), customers);
    }

    /// <summary>What clv predict writes, one customer at a time (default options: 12 months, 1 %/month, margin 1, weeks).</summary>
    private static string Reference(List<CustomerSummary> customers, double horizon)
    {
        var purchases = BgNbdModel.Fit(customers);
        var spend = GammaGammaModel.Fit(customers.Where(s => !(s.Frequency > 0 && !(s.MonetaryValue > 0))).ToList());
        var valuation = new ValuationOptions
        {
            HorizonMonths = 12,
            MonthlyDiscountRate = 0.01,
            GrossMargin = 1,
            TimeUnitsPerMonth = TimeUnits.PerMonth(TimeUnit.Weeks),
            IncludeNextPurchase = true,
            NextPurchaseCapMonths = 12,
        };
        var scores = CustomerValuation.Score(purchases, spend.Parameters, customers, valuation);
        var text = new StringBuilder("id,expected_purchases,p_alive,expected_spend,clv,expected_next_order" + Environment.NewLine);
        for (int i = 0; i < customers.Count; i++)
        {
            var s = customers[i];
            var score = scores[i];
            double expected = horizon <= 0 ? 0 : purchases.ExpectedPurchasesIfAlive(horizon, s.Frequency, s.T) * score.ProbabilityAlive;
            string id = s.Id.Contains(',', StringComparison.Ordinal) ? "\"" + s.Id + "\"" : s.Id;
            string next = double.IsNaN(score.TimeToNextPurchase) ? string.Empty : score.TimeToNextPurchase.ToString("0.00", C);
            text.Append(id).Append(',')
                .Append(expected.ToString("0.######", C)).Append(',')
                .Append(Math.Clamp(score.ProbabilityAlive, 0, 1).ToString("0.######", C)).Append(',')
                .Append(score.ExpectedAverageSpend.ToString("F2", C)).Append(',')
                .Append(score.PredictedClv.ToString("F2", C)).Append(',')
                .Append(next).Append('\n');
        }

        return text.ToString();
    }
}
