using System.Globalization;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Validation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Validation;

public class HoldoutComparisonTests(ITestOutputHelper output)
{
    private static readonly Lazy<Transaction[]> Master = new(() => CdnowData
        .Transactions("CDNOW_master.txt", idColumn: 0, dateColumn: 1, amountColumn: 3)
        .Select(t => new Transaction(t.Id, t.Date, t.Amount))
        .ToArray());

    // Measured (see README): both models under-predict CDNOW's 39-week holdout by 13-14 % overall, most at x = 1..2,
    // the pattern published for this data set; the bounds below catch a broken model or table, not that known bias.
    [Fact]
    public void Compare_BgNbdOnCdnowMaster_PredictsHoldoutPurchasesByFrequency()
    {
        var report = HoldoutComparison.Compare(Master.Value, new DateTime(1997, 9, 30), new DateTime(1998, 6, 30), TimeUnit.Weeks, s => BgNbdModel.Fit(s));
        Write(report);

        Assert.Equal(23_570, report.Customers);
        Assert.Equal(39, report.HoldoutLength, 9);
        Assert.True(Math.Abs(report.PredictedTotal / report.ActualTotal - 1) < 0.20, $"total predicted {report.PredictedTotal}, actual {report.ActualTotal}");
        foreach (var row in report.Rows)
        {
            Assert.True(row.Customers > 100);
            Assert.True(Math.Abs(row.PredictedMean - row.ActualMean) <= 0.35 * row.ActualMean + 0.05, $"x = {row.Label}: predicted {row.PredictedMean}, actual {row.ActualMean}");
        }

        var predicted = report.Rows.Select(r => r.PredictedMean).ToArray();
        Assert.Equal(predicted.Order(), predicted); // more calibration purchases, more expected holdout purchases
    }

    [Fact]
    public void Compare_ParetoNbdOnCdnowMaster_IsAsSensible()
    {
        var report = HoldoutComparison.Compare(Master.Value, new DateTime(1997, 9, 30), new DateTime(1998, 6, 30), TimeUnit.Weeks, s => ParetoNbdModel.Fit(s));
        Write(report);

        Assert.True(Math.Abs(report.PredictedTotal / report.ActualTotal - 1) < 0.20, $"total predicted {report.PredictedTotal}, actual {report.ActualTotal}");
        Assert.All(report.Rows, row => Assert.True(Math.Abs(row.PredictedMean - row.ActualMean) <= 0.35 * row.ActualMean + 0.05, $"x = {row.Label}"));
    }

    private void Write(HoldoutReport report)
    {
        var fit = (CustomerValue.Models.Fitting.ModelFit)report.Model;
        output.WriteLine($"{report.Model.GetType().Name}: {string.Join(", ", fit.Summary.Select(p => $"{p.Name} {p.Value:F4}"))}; LL {fit.LogLikelihood:F2}; {fit.FitSeconds * 1000:F0} ms");
        output.WriteLine("x      customers  actual  predicted");
        foreach (var r in report.Rows)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-6} {1,9} {2,7:F3} {3,10:F3}", r.Label, r.Customers, r.ActualMean, r.PredictedMean));
        }

        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "total  {0,9} {1,7:F0} {2,10:F0}", report.Customers, report.ActualTotal, report.PredictedTotal));
    }
}
