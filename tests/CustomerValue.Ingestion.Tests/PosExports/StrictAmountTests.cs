using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class StrictAmountTests
{
    [Theory]
    [InlineData("1.2E+03", '.')]
    [InlineData("1e30", '.')]
    [InlineData("1.234,56", '.')]
    [InlineData("1,234.56", ',')]
    [InlineData("ten 5", '.')]
    [InlineData("TEN5x", '.')]
    [InlineData("1,5", '.')]
    [InlineData("12,50", '.')]
    [InlineData("1,23,456.00", '.')]
    [InlineData("1.234.567", '.')]
    [InlineData("1,234 567", '.')]
    [InlineData("5.", '.')]
    [InlineData("5-", '.')]
    [InlineData("--5", '.')]
    [InlineData("(-5)", '.')]
    [InlineData("$5 EUR", '.')]
    [InlineData("EURO 5", '.')]
    [InlineData("5#", '.')]
    public void Amounts_NotWrittenAsMoney_AreRefusedInsteadOfRewritten(string text, char separator) =>
        Assert.False(PosAmounts.TryParse(text, separator, out _));

    [Theory]
    [InlineData("1,234,567.89", ".", ',', "1234567.89")]
    [InlineData("1'234.50", ".", '\'', "1234.50")]
    [InlineData(".5", ".", '\'', "0.5")]
    [InlineData("7,50 €", ",", '.', "7.50")]
    [InlineData("+12", ".", ',', "12")]
    [InlineData("$-0.95", ".", ',', "-0.95")]
    public void Amounts_WithAllowedGrouping_AreRead(string text, string decimalSeparator, char group, string expected)
    {
        Assert.Equal(PosAmountError.None, PosAmounts.Parse(text, decimalSeparator[0], group.ToString(), out var value, out _));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Fact]
    public void Grouping_IsRefused_WhenTheLayoutAllowsNone() =>
        Assert.Equal(PosAmountError.GroupSeparatorNotAllowed, PosAmounts.Parse("1,234.00", '.', string.Empty, out _, out _));

    [Fact]
    public async Task MisreadAmounts_AreQuarantinedNamingColumnAndShape_WhileTheRestImports()
    {
        const string Csv = """
            transaction_id,timestamp,total,currency,customer_id
            A-1,2025-04-01T10:00:00Z,1.2E+03,USD,1
            A-2,2025-04-01T10:00:00Z,"1.234,56",USD,2
            A-3,2025-04-01T10:00:00Z,1e30,USD,3
            A-4,2025-04-01T10:00:00Z,ten 5,USD,4
            A-5,2025-04-01T10:00:00Z,"1,5",USD,5
            A-6,2025-04-01T10:00:00Z,EUR 7.50,USD,6
            A-7,2025-04-01T10:00:00Z,"$1,234.50",USD,7
            A-8,2025-04-01T10:00:00Z,1200,USD,8
            """;
        var rows = await PosRead.TextAsync(Csv, PosLayouts.Generic);

        Assert.Equal(
            [PosRowStatus.Quarantined, PosRowStatus.Quarantined, PosRowStatus.Quarantined, PosRowStatus.Quarantined,
             PosRowStatus.Quarantined, PosRowStatus.Quarantined, PosRowStatus.Imported, PosRowStatus.Imported],
            rows.Select(r => r.Status));
        Assert.All(rows.Take(6), r => Assert.Equal("total", r.Column));
        Assert.Equal(
            [
                "the total ('9.9A+99') is in scientific notation, which is not read as money: export the column as a plain number",
                "the total ('9.999,99') has a separator after the decimal separator '.': is the export's decimal separator another one?",
                "the total ('9a99') is in scientific notation, which is not read as money: export the column as a plain number",
                "the total ('aaa 9') is not an amount with decimal separator '.'",
                "the total ('9,9') has group separators that do not split the digits in threes: is the decimal separator '.' right?",
                "the total is written in EUR but the row's currency is USD",
            ],
            rows.Take(6).Select(r => r.Reason));
        Assert.Equal([1234.50m, 1200m], rows.Skip(6).Select(r => r.Order!.Gross));
    }

    [Fact]
    public async Task LayoutWithoutGrouping_QuarantinesAGroupedAmount()
    {
        var layout = PosLayouts.Generic with { GroupSeparators = string.Empty };
        var rows = await PosRead.TextAsync("transaction_id,timestamp,total,customer_id\nG-1,2025-04-01T10:00:00Z,\"1,234.00\",1\nG-2,2025-04-01T10:00:00Z,1234.00,1\n", layout);
        Assert.Equal((PosRowStatus.Quarantined, "total"), (rows[0].Status, rows[0].Column));
        Assert.Equal("the total ('9,999.99') holds a character this layout does not allow in an amount (group separators allowed: none)", rows[0].Reason);
        Assert.Equal(1234.00m, rows[1].Order!.Gross);
    }

    [Fact]
    public async Task QuantityAndUnitPrice_AreParsedJustAsStrictly()
    {
        var layout = PosLayouts.Generic with
        {
            Amount = PosAmountRule.QuantityTimesUnitPrice,
            Columns = PosLayouts.Generic.Columns with { Total = null, Quantity = "qty", UnitPrice = "price" },
        };
        var rows = await PosRead.TextAsync("transaction_id,timestamp,qty,price,customer_id\nQ-1,2025-04-01T10:00:00Z,2,1.5E+01,1\nQ-2,2025-04-01T10:00:00Z,2,1.50,1\n", layout);
        Assert.Equal((PosRowStatus.Quarantined, "price"), (rows[0].Status, rows[0].Column));
        Assert.Equal(3.00m, rows[1].Order!.Gross);
    }

    [Theory]
    [InlineData("\"groupSeparators\": \"\"", "")]
    [InlineData("\"groupSeparators\": \"' \"", "' ")]
    public void Mapping_GroupSeparators_AreRead(string entry, string expected) =>
        Assert.Equal(expected, PosMappingFile.Parse($$"""{"columns": {"transactionId": "Id"}, {{entry}}}""").GroupSeparators);

    [Fact]
    public void Mapping_GroupSeparatorThatIsNoSeparator_IsReportedByKey()
    {
        var error = Assert.Throws<FormatException>(() => PosMappingFile.Parse("""{"columns": {"transactionId": "Id"}, "groupSeparators": "x"}"""));
        Assert.StartsWith("POS mapping: 'groupSeparators' must be a string of the characters", error.Message, StringComparison.Ordinal);
    }
}
