using System.Text.RegularExpressions;
using CustomerValue.Cli.Demo;

namespace CustomerValue.Cli.Tests;

/// <summary>The demo end to end on a small shop: it prints the segment KPIs, the tier migrations and the channel table.</summary>
public sealed partial class DemoSegmentTablesTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Demo_PrintsSegmentKpisWithCustomTargets_TheMigrationMatrix_AndTheChannelTable()
    {
        using var folder = new TempFolder();

        using var writer = new StringWriter();

        var exitCode = await new DemoRunner(new DemoOptions(300, 42, folder.Root, "http://127.0.0.1:0", Exit: true)).RunAsync(writer, CancellationToken.None);

        var output = writer.ToString();
        Assert.True(exitCode == 0, output);
        Assert.Contains("Segment KPIs", output, StringComparison.Ordinal);
        Assert.Matches(KpiRow("top-20"), output);
        Assert.Matches(KpiRow(@"win-back-lapsed-store \*"), output);
        Assert.Contains("target size ≥ 200", output, StringComparison.Ordinal);
        Assert.Contains("Tier migrations (no earlier run: everyone is new)", output, StringComparison.Ordinal);
        var total = TotalRow().Match(output);
        var newRow = NewRow().Match(output);
        Assert.True(total.Success && newRow.Success, output);
        Assert.Equal(total.Groups["all"].Value, newRow.Groups["all"].Value);
        Assert.Contains("Acquisition channels (90 % intervals", output, StringComparison.Ordinal);
        Assert.Matches(@"\n  \(all\)\s+[\d,]+ ", output);
    }

    private static Regex KpiRow(string name) => new($@"\n  {name}\s+[\d,]+\s+\d+ %");

    [GeneratedRegex(@"\n  total\s.*\s(?<all>[\d,]+ / [\d,]+)\r?\n")]
    private static partial Regex TotalRow();

    [GeneratedRegex(@"\n  \(new\)\s.*\s(?<all>[\d,]+ / [\d,]+)\r?\n")]
    private static partial Regex NewRow();
}
