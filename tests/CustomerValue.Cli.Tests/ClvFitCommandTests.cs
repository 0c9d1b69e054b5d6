namespace CustomerValue.Cli.Tests;

public class ClvFitCommandTests
{
    internal static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: expected {expected} ± {relative:P1}, got {actual}");

    [Fact]
    public async Task Fit_OnCdnowSummary_ReproducesPublishedEstimatesOfAllModels()
    {
        var result = await Cli.RunAsync("clv", "fit", "--input", Cli.Data("cdnow_customers_summary_with_transactions.csv"), "--format", "summary", "--time-unit", "weeks");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = new FitJson(result.Output);
        // Fader, Hardie & Lee (2005), "Counting your customers the easy way".
        AssertClose(0.2426, json.Param("bgnbd", "r"), 0.002, "BG/NBD r");
        AssertClose(4.414, json.Param("bgnbd", "alpha"), 0.002, "BG/NBD alpha");
        AssertClose(0.7929, json.Param("bgnbd", "a"), 0.002, "BG/NBD a");
        AssertClose(2.426, json.Param("bgnbd", "b"), 0.002, "BG/NBD b");
        AssertClose(-9582.43, json.Model("bgnbd").GetProperty("logLikelihood").GetDouble(), 1e-5, "BG/NBD LL");
        AssertClose(0.553, json.Param("paretonbd", "r"), 0.002, "Pareto/NBD r");
        AssertClose(10.578, json.Param("paretonbd", "alpha"), 0.002, "Pareto/NBD alpha");
        AssertClose(0.606, json.Param("paretonbd", "s"), 0.002, "Pareto/NBD s");
        AssertClose(11.669, json.Param("paretonbd", "beta"), 0.002, "Pareto/NBD beta");
        AssertClose(-9595.0, json.Model("paretonbd").GetProperty("logLikelihood").GetDouble(), 1e-5, "Pareto/NBD LL");
        // Fader, Hardie & Lee (2005), "RFM and CLV".
        AssertClose(6.25, json.Param("gammagamma", "p"), 0.002, "Gamma-Gamma p");
        AssertClose(3.74, json.Param("gammagamma", "q"), 0.002, "Gamma-Gamma q");
        AssertClose(15.44, json.Param("gammagamma", "v"), 0.002, "Gamma-Gamma v");
    }

    [Fact]
    public async Task Fit_ReportsStandardErrorsStatusAndCounts()
    {
        var result = await Cli.RunAsync("clv", "fit", "--input", Cli.Data("cdnow_customers_summary_with_transactions.csv"), "--model", "bgnbd");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = new FitJson(result.Output);
        var model = json.Model("bgnbd");
        Assert.Equal(["r", "alpha", "a", "b"], model.GetProperty("standardErrors").EnumerateObject().Select(p => p.Name));
        AssertClose(0.0126, model.GetProperty("standardErrors").GetProperty("r").GetDouble(), 0.01, "SE r");
        Assert.True(model.GetProperty("converged").GetBoolean());
        Assert.Equal("Converged", model.GetProperty("status").GetString());
        Assert.True(model.GetProperty("iterations").GetInt32() > 0);
        Assert.True(model.GetProperty("fitSeconds").GetDouble() >= 0);
        Assert.Equal(2357, json.Root.GetProperty("observations").GetInt32());
        Assert.False(json.Root.GetProperty("thinData").GetBoolean());
        Assert.False(json.Root.GetProperty("models").TryGetProperty("paretonbd", out _));
    }

    [Theory]
    [InlineData("transactions")]
    [InlineData("cdnow")]
    [InlineData("auto")]
    public async Task Fit_OnCdnowSampleTransactions_GivesThePublishedBgNbdEstimates(string format)
    {
        var result = await Cli.RunAsync(
            "clv", "fit", "--input", Cli.Data("CDNOW_sample.txt"), "--format", format, "--calibration-end", "1997-09-30", "--time-unit", "weeks", "--model", "bgnbd");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = new FitJson(result.Output);
        Assert.Equal("cdnow", json.Root.GetProperty("format").GetString());
        Assert.Equal("1997-09-30", json.Root.GetProperty("calibrationEnd").GetString());
        Assert.Equal(6919, json.Root.GetProperty("transactions").GetInt32());
        Assert.Equal(2357, json.Root.GetProperty("observations").GetInt32());
        AssertClose(0.2426, json.Param("bgnbd", "r"), 0.002, "r");
        AssertClose(4.414, json.Param("bgnbd", "alpha"), 0.002, "alpha");
        AssertClose(0.7929, json.Param("bgnbd", "a"), 0.002, "a");
        AssertClose(2.426, json.Param("bgnbd", "b"), 0.002, "b");
    }

    [Fact]
    public async Task Fit_OnATransactionCsvWithFewBuyers_FlagsThinData()
    {
        using var folder = new TempFolder();
        string path = folder.Write("orders.csv", """
            Customer_ID,Date,Amount,channel
            a,2024-01-05,10.00,web
            a,2024-02-01T10:00:00+01:00,20.00,store
            b,20240102,5,web
            c,2024-03-01,7.50,web
            """);

        var result = await Cli.RunAsync("clv", "fit", "--input", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = new FitJson(result.Output);
        Assert.Equal("transactions", json.Root.GetProperty("format").GetString());
        Assert.Equal("2024-03-01", json.Root.GetProperty("calibrationEnd").GetString());
        Assert.Equal(3, json.Root.GetProperty("observations").GetInt32());
        Assert.True(json.Root.GetProperty("thinData").GetBoolean());
        Assert.True(json.Model("bgnbd").GetProperty("thinData").GetBoolean());
        Assert.Equal("ThinDataEstimate", json.Model("bgnbd").GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.Model("bgnbd").GetProperty("standardErrors").GetProperty("r").ValueKind);
    }

    [Fact]
    public async Task Fit_SummaryWithoutSpend_SkipsGammaGammaWithANote()
    {
        var result = await Cli.RunAsync("clv", "fit", "--input", Cli.Data("cdnow_customers_summary.csv"), "--time-unit", "weeks");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = new FitJson(result.Output);
        Assert.False(json.Root.GetProperty("models").TryGetProperty("gammagamma", out _));
        Assert.Contains("no monetary_value", json.Root.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
        AssertClose(0.2426, json.Param("bgnbd", "r"), 0.002, "r");
    }

    [Fact]
    public async Task Fit_GammaGammaOnASummaryWithoutSpend_ExitsWithCode2()
    {
        var result = await Cli.RunAsync("clv", "fit", "--input", Cli.Data("cdnow_customers_summary.csv"), "--model", "gammagamma");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("monetary_value", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
