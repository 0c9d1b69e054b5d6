namespace CustomerValue.Cli.Tests;

public class BenchCommandTests
{
    [Fact]
    public async Task Bench_OnASmallBase_PrintsTheTargetsTable()
    {
        var result = await Cli.BenchAsync("--customers", "5000", "--repetitions", "1", "--cdnow", Cli.Data("cdnow_customers_summary.csv"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("BG/NBD fit, 5,000 customers", result.Output, StringComparison.Ordinal);
        Assert.Contains("Scoring 5,000 customers", result.Output, StringComparison.Ordinal);
        Assert.Contains("Pareto/NBD fit, CDNOW 2,357 customers", result.Output, StringComparison.Ordinal);
        Assert.Contains("Peak working set", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_WithAMissingCdnowFile_ExitsWithCode2()
    {
        var result = await Cli.BenchAsync("--customers", "1000", "--cdnow", Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".csv"));

        Assert.Equal(2, result.ExitCode);
    }
}
