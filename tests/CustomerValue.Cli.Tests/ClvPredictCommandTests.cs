using System.Globalization;

namespace CustomerValue.Cli.Tests;

public class ClvPredictCommandTests
{
    private const string Header = "id,expected_purchases,p_alive,expected_spend,clv,expected_next_order";

    [Fact]
    public async Task Predict_OnCdnowSummary_WritesOneRowPerCustomer()
    {
        using var folder = new TempFolder();
        string output = folder.File("predictions.csv");

        var result = await Cli.RunAsync("clv", "predict", "--input", Cli.Data("cdnow_customers_summary_with_transactions.csv"), "--time-unit", "weeks", "--out", output);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(output);
        Assert.Equal(Header, lines[0]);
        Assert.Equal(2357 + 1, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal(6, r.Length));
        Assert.All(rows, r => Assert.InRange(Number(r[2]), 0, 1));
        Assert.All(rows, r => Assert.True(Number(r[1]) >= 0 && Number(r[3]) > 0 && Number(r[4]) >= 0, string.Join(',', r)));

        // Customer 1: x = 2, t_x = 30.43, T = 38.86; E[Y(39)] = 1.2259 (FHL 2005); next order in weeks (summary input).
        var first = rows[0];
        Assert.Equal("1", first[0]);
        Assert.Equal(1.2259, Number(first[1]), 3);
        Assert.True(Number(first[5]) is > 0 and < 52.2, first[5]);
        Assert.Contains("2,357 customers", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_OnTransactions_GivesTheNextOrderAsADate()
    {
        var result = await Cli.RunAsync(
            "clv", "predict", "--input", Cli.Data("CDNOW_sample.txt"), "--calibration-end", "1997-09-30", "--time-unit", "weeks", "--model", "paretonbd", "--months", "6", "--margin", "0.3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(Header, lines[0]);
        Assert.Equal(2357 + 1, lines.Length);
        var dated = lines.Skip(1).Select(l => l.Split(',')[5]).Where(d => d.Length > 0).ToArray();
        Assert.NotEmpty(dated);
        Assert.All(dated, d =>
        {
            var date = DateTime.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.InRange(date, new DateTime(1997, 10, 1), new DateTime(1998, 3, 31));
        });
    }

    [Fact]
    public async Task Predict_DefaultHorizonIs39WeeksOr273Days()
    {
        // A 39-week horizon in weeks and a 273-day horizon in days are the same period: same expected purchases.
        var weeks = await Cli.RunAsync("clv", "predict", "--input", Cli.Data("CDNOW_sample.txt"), "--calibration-end", "1997-09-30", "--time-unit", "weeks");
        var days = await Cli.RunAsync("clv", "predict", "--input", Cli.Data("CDNOW_sample.txt"), "--calibration-end", "1997-09-30", "--time-unit", "days");

        Assert.True(weeks.ExitCode == 0, weeks.ToString());
        Assert.True(days.ExitCode == 0, days.ToString());
        double Total(CliResult r) => r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(l => Number(l.Split(',')[1]));
        Assert.Equal(Total(weeks), Total(days), 0);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
