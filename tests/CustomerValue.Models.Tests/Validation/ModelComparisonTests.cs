using System.Globalization;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Validation;
using Xunit.Abstractions;

namespace CustomerValue.Models.Tests.Validation;

public class ModelComparisonTests(ITestOutputHelper output)
{
    private static readonly Lazy<Transaction[]> Sample = new(() => CdnowData
        .Transactions("CDNOW_sample.txt", idColumn: 1, dateColumn: 2, amountColumn: 4)
        .Select(t => new Transaction(t.Id, t.Date, t.Amount))
        .ToArray());

    [Fact]
    public void Compare_OnCdnowSample_ScoresEveryModelAndPicksTheSmallestError()
    {
        var report = ModelComparison.Compare(Sample.Value, new DateTime(1997, 9, 30), new DateTime(1998, 6, 30), TimeUnit.Weeks);
        Write(report);

        Assert.Equal(2357, report.Customers);
        Assert.Equal(39, report.HoldoutLength, 9);
        Assert.Equal(3, report.Models.Count);
        Assert.All(report.Models, m =>
        {
            Assert.NotNull(m.Fit);
            Assert.True(m.Fit!.Converged, m.Fit.StatusMessage);
            Assert.True(double.IsFinite(m.MeanAbsoluteError) && m.MeanAbsoluteError > 0);
            Assert.InRange(m.AggregateRelativeError, -0.3, 0.3);
            Assert.Equal(8, m.CalibrationTable.Count);
            Assert.Equal(2357, m.CalibrationTable.Sum(r => r.Customers));
            Assert.Equal(2357, m.AliveCalibration.Sum(r => r.Customers));
            Assert.Equal(m.ActualTotal, m.CalibrationTable.Sum(r => r.Customers * (double.IsNaN(r.ActualMean) ? 0 : r.ActualMean)), 6);
        });
        var best = report.Models.MinBy(m => m.MeanAbsoluteError)!;
        Assert.Equal(best.Model, report.Winner);
        Assert.Contains(best.Model.ToString(), report.Reason, StringComparison.Ordinal);

        // Customers the model thinks alive buy more often in the holdout than those it thinks gone.
        var bins = best.AliveCalibration.Where(r => r.Customers >= 20).ToList();
        Assert.True(bins[^1].ShareActiveInHoldout > bins[0].ShareActiveInHoldout);
    }

    [Fact]
    public void Split_HoldsOutTheLastThirdOfTheObservedDays()
    {
        var (calibrationEnd, holdoutEnd) = ModelComparison.Split(Sample.Value);

        Assert.Equal(new DateTime(1998, 6, 30), holdoutEnd);
        Assert.Equal(new DateTime(1998, 6, 30).AddDays(-Math.Round(545 / 3.0)), calibrationEnd);
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelComparison.Split(Sample.Value, 1));
    }

    [Fact]
    public void Compare_WhenNoModelCanBeFitted_HasNoWinner()
    {
        // Everybody's first purchase is after the calibration end: nothing to fit.
        Transaction[] late = [new("a", new DateTime(2024, 3, 1), 10), new("a", new DateTime(2024, 3, 5), 10)];

        var report = ModelComparison.Compare(late, new DateTime(2024, 2, 1), new DateTime(2024, 4, 1), TimeUnit.Days);

        Assert.Null(report.Winner);
        Assert.All(report.Models, m => Assert.NotNull(m.Error));
    }

    private void Write(ModelComparisonReport report)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"{report.Reason}");
        foreach (var m in report.Models)
        {
            output.WriteLine(string.Format(c, "{0}: MAE {1:F4}, RMSE {2:F4}, predicted {3:F0}, actual {4:F0} ({5:P1}); LL {6:F3}; {7:F0} ms",
                m.Model, m.MeanAbsoluteError, m.RootMeanSquaredError, m.PredictedTotal, m.ActualTotal, m.AggregateRelativeError, m.Fit?.LogLikelihood, m.Fit?.FitSeconds * 1000));
            output.WriteLine("  x: " + string.Join("  ", m.CalibrationTable.Select(r => string.Format(c, "{0} {1:F2}/{2:F2}", r.Label, r.PredictedMean, r.ActualMean))));
            output.WriteLine("  P(alive): " + string.Join("  ", m.AliveCalibration.Where(r => r.Customers > 0).Select(r => string.Format(c, "[{0:F1},{1:F1}) n={2} {3:F2}/{4:F2}", r.From, r.To, r.Customers, r.MeanProbabilityAlive, r.ShareActiveInHoldout))));
        }
    }
}
