namespace CustomerValue.Cli.Tests;

public class ClvValidateCommandTests
{
    [Fact]
    public async Task Validate_OnCdnowSample_PrintsTheHoldoutTable()
    {
        var result = await Cli.RunAsync("clv", "validate", "--input", Cli.Data("CDNOW_sample.txt"), "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--time-unit", "weeks");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Contains(lines, l => l.Contains("(39 weeks), 2,357 customers", StringComparison.Ordinal));
        var header = Array.Find(lines, l => l.StartsWith("x ", StringComparison.Ordinal));
        Assert.NotNull(header);
        Assert.Contains("actual", header, StringComparison.Ordinal);
        Assert.Contains("BG/NBD", header, StringComparison.Ordinal);
        Assert.Contains("Pareto/NBD", header, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("0 ", StringComparison.Ordinal) && l.Contains("1,411", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("7+", StringComparison.Ordinal));
        // 1,882 actual holdout repeat purchase days; BG/NBD expects 1,653 (Models README).
        var total = Array.Find(lines, l => l.StartsWith("total", StringComparison.Ordinal));
        Assert.NotNull(total);
        Assert.Equal(["total", "2,357", "1,882", "1,653", "1,666"], total.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // The model choice the recompute makes, on the same split: all three models and a winner.
        Assert.Contains(lines, l => l.StartsWith("Model choice (2,357 customers", StringComparison.Ordinal));
        foreach (var model in new[] { "BG/NBD ", "Pareto/NBD ", "MBG/NBD " })
        {
            var row = Array.Find(lines, l => l.StartsWith(model, StringComparison.Ordinal) && l.Contains("1,882", StringComparison.Ordinal));
            Assert.True(row is not null, model + " row missing:\n" + result.Output);
        }

        Assert.Contains(lines, l => l.StartsWith("winner: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_WithPlot_WritesTheCalibrationAndDistributionChartsAsPng()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cv-plots-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await Cli.RunAsync("clv", "validate", "--input", Cli.Data("CDNOW_sample.txt"), "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--plot", folder);

            Assert.True(result.ExitCode == 0, result.ToString());
            foreach (var name in new[] { "calibration-bgnbd.png", "calibration-paretonbd.png", "clv-distribution.png", "p-alive-distribution.png" })
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(folder, name));
                Assert.True(bytes.Length > 5_000, $"{name} is only {bytes.Length} bytes");
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Validate_DefaultsToA39WeekHoldoutEndingAtTheLastTransaction()
    {
        var result = await Cli.RunAsync("clv", "validate", "--input", Cli.Data("CDNOW_sample.txt"), "--model", "bgnbd");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("calibration to 1997-09-30, holdout 1997-10-01 to 1998-06-30", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Pareto/NBD", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OnASummaryFile_ExitsWithCode2()
    {
        var result = await Cli.RunAsync("clv", "validate", "--input", Cli.Data("cdnow_customers_summary.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs dated transactions", result.Error, StringComparison.Ordinal);
    }
}
