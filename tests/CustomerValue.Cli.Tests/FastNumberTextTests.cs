using System.Globalization;
using System.Text;
using CustomerValue.Cli.Clv;

namespace CustomerValue.Cli.Tests;

/// <summary>The CLI's fast number parsing and money formatting give exactly what the framework's give.</summary>
public class FastNumberTextTests
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    [Fact]
    public void MoneyText_FormatsAsF2_ForRandomAmountsTiesAndEdges()
    {
        var random = new Random(11);
        var values = new List<double> { 0, -0.0, 0.125, 0.375, 0.625, 1.005, 0.005, 0.015, 2.675, 1e-300, double.Epsilon, 9999999999999.99, 1e13, 1e15, 1e300, -12.345, double.MaxValue };
        for (int k = 0; k < 2000; k++)
        {
            values.Add(k / 8.0); // exact binary ties at the third decimal
            values.Add(k + 0.005);
            values.Add(k / 200.0);
        }

        for (int i = 0; i < 200_000; i++)
        {
            double magnitude = Math.Pow(10, random.Next(-6, 14));
            values.Add(random.NextDouble() * magnitude);
            values.Add(Math.Round(random.NextDouble() * 1000, 3));
        }

        var buffer = new byte[MoneyText.MaxBytes];
        foreach (double v in values)
        {
            Assert.True(MoneyText.TryFormat(v, buffer, out int written));
            Assert.Equal(v.ToString("F2", C), Encoding.UTF8.GetString(buffer, 0, written));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("12")]
    [InlineData("12.5")]
    [InlineData(" 3.25 ")]
    [InlineData("0.00")]
    [InlineData("5.")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("-2.5")]
    [InlineData("123456789012345678901234")]
    [InlineData("0.1234567890123456789")]
    public void TryParseNumber_AgreesWithDoubleParse(string text)
    {
        Assert.True(PlainSummaryCsv.TryParseNumber(Encoding.UTF8.GetBytes(text), out double value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, NumberStyles.Float, C)), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    public void TryParseNumber_RejectsWhatDoubleParseRejects(string text)
    {
        Assert.False(PlainSummaryCsv.TryParseNumber(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void TryParseNumber_AgreesWithDoubleParse_ForRandomDecimals()
    {
        var random = new Random(5);
        for (int i = 0; i < 100_000; i++)
        {
            string text = (random.NextDouble() * Math.Pow(10, random.Next(0, 9))).ToString("F" + random.Next(0, 8), C);
            Assert.True(PlainSummaryCsv.TryParseNumber(Encoding.UTF8.GetBytes(text), out double value), text);
            Assert.Equal(double.Parse(text, C), value);
        }
    }

    [Fact]
    public void PlainSummaryCsv_ReadsPlainFiles_AndLeavesQuotesAndBadRowsToSylvan()
    {
        using var folder = new TempFolder();
        string plain = folder.Write("plain.csv", "id,frequency,recency,T,monetary_value\n a1 ,2,3.5,10,12.50\n\nb2,0,0,4.25,0\n");
        string quoted = folder.Write("quoted.csv", "id,frequency,recency,T\n\"a,1\",2,3.5,10\n");
        string bad = folder.Write("bad.csv", "id,frequency,recency,T\na1,2,30,10\n"); // recency > T

        var read = PlainSummaryCsv.TryRead(plain);

        Assert.NotNull(read);
        var (customers, hasMonetaryValue) = read.Value;
        Assert.True(hasMonetaryValue);
        Assert.Equal(["a1", "b2"], customers.Select(c => c.Id));
        Assert.Equal([2.0, 0.0], customers.Rows.Select(r => r.Frequency));
        Assert.Equal([3.5, 0.0], customers.Rows.Select(r => r.Recency));
        Assert.Equal([10.0, 4.25], customers.Rows.Select(r => r.T));
        Assert.Equal([12.5, 0.0], customers.Rows.Select(r => r.MonetaryValue));
        Assert.Equal("a1"u8.ToArray(), customers.IdField(0).ToArray());
        Assert.Null(PlainSummaryCsv.TryRead(quoted));
        Assert.Null(PlainSummaryCsv.TryRead(bad));
    }
}
