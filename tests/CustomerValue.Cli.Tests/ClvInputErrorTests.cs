namespace CustomerValue.Cli.Tests;

public class ClvInputErrorTests
{
    [Fact]
    public async Task RecencyGreaterThanT_ExitsWithCode2AndNamesTheRow()
    {
        using var folder = new TempFolder();
        string path = folder.Write("summary.csv", """
            id,frequency,recency,T,monetary_value
            c1,2,10,20,15
            c2,1,30,25,12
            c3,0,0,8,0
            """);

        var result = await Cli.RunAsync("clv", "fit", "--input", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("row 2 (line 3, customer 'c2'): recency 30 is greater than T 25", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValuesThatAreNotNumbers_AreAllListedWithTheirLines()
    {
        using var folder = new TempFolder();
        string path = folder.Write("summary.csv", """
            ID,x,t_x,T
            1,2,10,20
            2,two,3,25
            3,1,3,
            """);

        var result = await Cli.RunAsync("clv", "predict", "--input", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("row 2 (line 3): frequency 'two' is not a number", result.Error, StringComparison.Ordinal);
        Assert.Contains("row 3 (line 4): T '' is not a number", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LineNumbers_CountBlankLinesAndQuotedLineBreaks()
    {
        using var folder = new TempFolder();
        string path = folder.File("summary.csv");
        File.WriteAllText(path, "id,frequency,recency,T\r\n1,2,10,20\r\n\r\n\"two\r\nlines\",0,0,8\r\n4,0,1,8\r\n");

        var result = await Cli.RunAsync("clv", "fit", "--input", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("row 3 (line 6, customer '4'): recency 1 must be 0 when frequency is 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_ExitsWithCode2()
    {
        var result = await Cli.RunAsync("clv", "fit", "--input", Path.Combine(Path.GetTempPath(), "no-such-file-" + Guid.NewGuid().ToString("N") + ".csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnrecognisedLayout_ExitsWithCode2()
    {
        using var folder = new TempFolder();
        string path = folder.Write("other.csv", "name,city\nAva,NYC\n");

        var result = await Cli.RunAsync("clv", "fit", "--input", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot tell the layout", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSummaryColumn_ExitsWithCode2()
    {
        using var folder = new TempFolder();
        string path = folder.Write("summary.csv", "id,frequency,T\n1,0,10\n");

        var result = await Cli.RunAsync("clv", "fit", "--input", path, "--format", "summary");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("recency (or t_x)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadTransactionRows_AreListedWithLineNumbers()
    {
        using var folder = new TempFolder();
        string path = folder.Write("orders.csv", """
            customer_id,date,amount
            a,2024-01-05,10
            b,01/02/2024,5
            c,2024-03-01,ten
            """);

        var result = await Cli.RunAsync("clv", "fit", "--input", path, "--format", "transactions");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("line 3: date '01/02/2024' is not a date", result.Error, StringComparison.Ordinal);
        Assert.Contains("line 4: amount 'ten' is not a number", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionOutOfRange_IsAUsageError()
    {
        var result = await Cli.RunAsync("clv", "predict", "--input", Cli.Data("cdnow_customers_summary.csv"), "--months", "-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--months", result.Error, StringComparison.Ordinal);
    }
}
