using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class GenericLayoutTests
{
    [Fact]
    public async Task Utf8WithBomAndCrLf_ReadsTheFirstColumnAndEveryRecord()
    {
        var rows = await PosRead.FixtureAsync("generic-utf8-bom.csv", PosLayouts.Generic);
        Assert.All(rows, r => Assert.Equal(PosRowStatus.Imported, r.Status));
        Assert.Equal(["T-1001", "T-1002", "T-1003"], rows.Select(r => r.TransactionId));
        Assert.Equal([2L, 3L, 4L], rows.Select(r => r.LineNumber));

        var sale = rows[0].Activity!;
        Assert.Equal("pos:store-7:tx:T-1001", sale.Order!.OrderKey);
        Assert.Equal((42.50m, "EUR", SalesChannel.Store, "pos"), (sale.Order.Gross, sale.Order.Currency, sale.Order.Channel, sale.Order.Device));
        // Customer ids are chain-wide (scoped by the POS source); the per-store form is only looked up, for older data.
        Assert.Equal(["pos:generic:991"], sale.Identities.SourceCustomerIds);
        Assert.Equal(["pos:store-7:991"], sale.Identities.FormerSourceCustomerIds);
        Assert.Equal(["ann.lee@example.com"], sale.Identities.Emails);
        Assert.Equal(("Ann", "Lee"), (sale.FirstName, sale.LastName));

        Assert.Equal(new DateTimeOffset(2025, 1, 5, 10, 0, 0, TimeSpan.Zero), rows[1].Order!.PlacedAt);
        Assert.Equal(["loyalty:LC-42"], rows[1].Activity!.Identities.LoyaltyIds);
        Assert.Equal(["+49 170 0000001"], rows[1].Activity!.Identities.Phones);

        var ret = rows[2].Order!;
        Assert.Equal((OrderKind.Return, 0m, 10.00m), (ret.Kind, ret.Gross, ret.Refunded));
        Assert.Equal(new DateTimeOffset(2025, 1, 6, 9, 30, 0, TimeSpan.Zero), ret.PlacedAt);
    }

    [Fact]
    public async Task PerStoreScope_KeysCustomerIdsByStore_WithNoFormerForm()
    {
        var rows = await PosRead.FixtureAsync("generic-utf8-bom.csv", PosLayouts.Generic.WithPerStoreCustomerIds());
        Assert.Equal(["pos:store-7:991"], rows[0].Activity!.Identities.SourceCustomerIds);
        Assert.Empty(rows[0].Activity!.Identities.FormerSourceCustomerIds);
    }

    [Fact]
    public async Task ConfiguredSource_ScopesCustomerIds()
    {
        var rows = await PosRead.FixtureAsync("generic-utf8-bom.csv", PosLayouts.Generic with { Source = "Lightspeed EU" });
        Assert.Equal(["pos:lightspeed-eu:991"], rows[0].Activity!.Identities.SourceCustomerIds);
    }

    [Fact]
    public async Task SemicolonFile_ReadsDecimalCommaAndCaseInsensitiveHeaders()
    {
        var rows = await PosRead.FixtureAsync("generic-semicolon-decimal-comma.csv", PosLayouts.Generic);
        Assert.Equal([1234.56m, 12.5m, 0m], rows.Select(r => r.Order!.Gross));
        Assert.Equal(OrderKind.Return, rows[2].Order!.Kind);
        Assert.Equal(3.00m, rows[2].Order!.Refunded);
        Assert.Equal("pos:hamburg:tx:K-1", rows[0].Order!.OrderKey);
    }

    [Fact]
    public async Task TabDelimitedFile_IsDetected()
    {
        var rows = await PosRead.FixtureAsync("generic-tab-delimited.tsv", PosLayouts.Generic);
        Assert.Equal([10.00m, 20.00m], rows.Select(r => r.Order!.Gross));
        Assert.Equal(["loyalty:CARD-9"], rows[1].Activity!.Identities.LoyaltyIds);
        Assert.Equal("pos:default:tx:TB-1", rows[0].Order!.OrderKey);
    }

    [Fact]
    public async Task QuotedLineBreaks_RecordAndLineNumbersDiffer()
    {
        var rows = await PosRead.FixtureAsync("generic-quoted-newline-in-name.csv", PosLayouts.Generic);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.RecordNumber));
        Assert.Equal([2L, 4L, 7L], rows.Select(r => r.LineNumber));
        Assert.Equal("Mary\nAnn", rows[0].Activity!.FirstName);
        Assert.Equal(PosRowStatus.Quarantined, rows[2].Status);
        Assert.Equal(("total", 7L), (rows[2].Column, rows[2].LineNumber));
    }

    [Fact]
    public async Task HashIdsBlankLinesAndStrayQuotes_NeitherDropRowsNorStopTheFile()
    {
        var rows = await PosRead.FixtureAsync("generic-hash-ids-blank-line-stray-quote.csv", PosLayouts.Generic);
        Assert.Equal(
            [PosRowStatus.Imported, PosRowStatus.Skipped, PosRowStatus.Imported, PosRowStatus.Imported, PosRowStatus.Imported],
            rows.Select(r => r.Status));
        Assert.Equal("blank line", rows[1].Reason);
        Assert.Equal(["#1001", "#1002", "S-3", "S-4"], rows.Where(r => r.IsAccepted).Select(r => r.TransactionId));
        Assert.Equal("12\" Pizza \"Deluxe\"", rows[3].Activity!.FirstName);
        Assert.Equal(6L, rows.Single(r => r.TransactionId == "S-4").LineNumber);
        Assert.Equal(5L, rows.Single(r => r.TransactionId == "S-3").LineNumber);
        Assert.Equal(4L, rows.Single(r => r.TransactionId == "#1002").LineNumber);
    }

    [Fact]
    public async Task BadRows_AreQuarantinedWithColumnAndReason_WhileGoodRowsImport()
    {
        var rows = await PosRead.FixtureAsync("generic-bad-rows-mixed-with-good.csv", PosLayouts.Generic);
        Assert.Equal(10, rows.Count);
        Assert.Equal(
            [
                (PosRowStatus.Imported, (string?)null),
                (PosRowStatus.Quarantined, "timestamp"),
                (PosRowStatus.Quarantined, "total"),
                (PosRowStatus.Quarantined, "transaction_id"),
                (PosRowStatus.Quarantined, "type"),
                (PosRowStatus.Quarantined, "currency"),
                (PosRowStatus.Quarantined, "email"),
                (PosRowStatus.Quarantined, "phone"),
                (PosRowStatus.Imported, null),
                (PosRowStatus.Quarantined, "total"),
            ],
            rows.Select(r => (r.Status, r.Column)));
        Assert.Equal("'2025-13-01T10:00:00Z' is not a timestamp in ISO 8601", rows[1].Reason);
        Assert.Equal("the total ('aaa') is not an amount with decimal separator '.'", rows[2].Reason);
        Assert.Equal("the total is empty", rows[9].Reason);
        Assert.Equal("not an e-mail address (no '@')", rows[6].Reason);
        Assert.Equal([3L, 4L], rows.Skip(1).Take(2).Select(r => r.LineNumber));
    }

    [Fact]
    public async Task RowsWithoutCustomer_AreAnonymousSalesWithoutActivity()
    {
        var rows = await PosRead.FixtureAsync("generic-anonymous-sales.csv", PosLayouts.Generic);
        Assert.Equal([true, true, true, false], rows.Select(r => r.IsAnonymous));
        Assert.All(rows.Take(3), r => Assert.Null(r.Activity));
        Assert.All(rows.Take(3), r => Assert.NotNull(r.Order));
        Assert.Equal(PosRowStatus.Imported, rows[3].Status);
    }

    [Fact]
    public async Task MissingRequiredColumn_IsOneFileError()
    {
        var rows = await PosRead.FixtureAsync("generic-missing-total-column.csv", PosLayouts.Generic);
        var error = Assert.Single(rows);
        Assert.Equal(PosRowStatus.FileError, error.Status);
        Assert.Equal("total", error.Column);
        Assert.Equal("layout 'generic': required column 'total' is missing (delimiter ','); columns found: transaction_id, timestamp, amount, customer_id.", error.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public async Task EmptyFile_IsOneFileError(string content)
    {
        var error = Assert.Single(await PosRead.TextAsync(content, PosLayouts.Generic));
        Assert.Equal(PosRowStatus.FileError, error.Status);
    }

    [Fact]
    public async Task TimestampWithoutOffset_IsReadInTheLayoutsTimeZone()
    {
        var layout = PosLayouts.Generic with { TimeZone = "Europe/Berlin" };
        var rows = await PosRead.TextAsync("transaction_id,timestamp,total,customer_id\nZ-1,2025-07-01 12:00:00,1,1\nZ-2,2025-07-01T12:00:00Z,1,1\n", layout);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero), rows[0].Order!.PlacedAt);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero), rows[1].Order!.PlacedAt);
    }

    [Fact]
    public async Task ConfiguredFormatAndDelimiter_AreUsed()
    {
        var layout = PosLayouts.Generic with { Delimiter = '|', DecimalSeparator = ',', TimestampFormats = ["dd.MM.yyyy HH:mm"] };
        var rows = await PosRead.TextAsync("transaction_id|timestamp|total|customer_id\nP-1|31.12.2024 23:59|1.000,50|9\n", layout);
        Assert.Equal((1000.50m, new DateTimeOffset(2024, 12, 31, 23, 59, 0, TimeSpan.Zero)), (rows[0].Order!.Gross, rows[0].Order!.PlacedAt));
    }

    [Fact]
    public async Task UnknownLayoutTimeZone_IsAFileError()
    {
        var error = Assert.Single(await PosRead.TextAsync("transaction_id,timestamp,total\n", PosLayouts.Generic with { TimeZone = "Mars/Olympus" }));
        Assert.Equal(PosRowStatus.FileError, error.Status);
    }

    [Theory]
    [InlineData("12.50", '.', "12.50")]
    [InlineData("$1,240.00", '.', "1240.00")]
    [InlineData("-$0.95", '.', "-0.95")]
    [InlineData("($0.95)", '.', "-0.95")]
    [InlineData("€ 1.234,56", ',', "1234.56")]
    [InlineData("1 234,56", ',', "1234.56")]
    [InlineData("EUR 7,5", ',', "7.5")]
    [InlineData("22.200000000000003", '.', "22.200000000000003")]
    public void Amounts_AreReadAsExportsWriteThem(string text, char separator, string expected)
    {
        Assert.True(PosAmounts.TryParse(text, separator, out var value));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("12/5")]
    [InlineData("$")]
    public void Amounts_RejectWhatIsNoNumber(string text) => Assert.False(PosAmounts.TryParse(text, '.', out _));
}
