namespace CustomerValue.Cli.Tests;

public class ClvSimulateCommandTests
{
    [Fact]
    public async Task SimulateThenFit_RecoversTheGeneratingParameters()
    {
        using var folder = new TempFolder();
        string path = folder.File("simulated.csv");

        var simulate = await Cli.RunAsync("clv", "simulate", "--customers", "20000", "--out", path, "--seed", "7");
        var fit = await Cli.RunAsync("clv", "fit", "--input", path);

        Assert.True(simulate.ExitCode == 0, simulate.ToString());
        Assert.Equal("id,frequency,recency,T,monetary_value", File.ReadLines(path).First());
        Assert.Equal(20000 + 1, File.ReadLines(path).Count());
        Assert.True(fit.ExitCode == 0, fit.ToString());
        using var json = new FitJson(fit.Output);
        // GenerativeParameters.ShopInDays: r 0.2426, alpha 30.898 (days), a 0.79, b 2.43; p 6.25, q 3.74, v 30.88.
        // Whole-day recording merges same-day purchases and moves alpha up by a few per cent (Models README).
        ClvFitCommandTests.AssertClose(0.2426, json.Param("bgnbd", "r"), 0.10, "r");
        ClvFitCommandTests.AssertClose(30.898, json.Param("bgnbd", "alpha"), 0.15, "alpha");
        ClvFitCommandTests.AssertClose(0.79, json.Param("bgnbd", "a"), 0.25, "a");
        ClvFitCommandTests.AssertClose(2.43, json.Param("bgnbd", "b"), 0.25, "b");
        ClvFitCommandTests.AssertClose(6.25, json.Param("gammagamma", "p"), 0.15, "p");
        ClvFitCommandTests.AssertClose(3.74, json.Param("gammagamma", "q"), 0.15, "q");
        ClvFitCommandTests.AssertClose(30.88, json.Param("gammagamma", "v"), 0.15, "v");
    }

    [Fact]
    public async Task Simulate_IsDeterministicForASeed()
    {
        var first = await Cli.RunAsync("clv", "simulate", "--customers", "200", "--seed", "3", "--days", "100");
        var second = await Cli.RunAsync("clv", "simulate", "--customers", "200", "--seed", "3", "--days", "100");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(first.Output, second.Output);
        Assert.All(first.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1), line =>
        {
            var f = line.Split(',');
            Assert.True(double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture) <= double.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), line);
        });
    }
}
