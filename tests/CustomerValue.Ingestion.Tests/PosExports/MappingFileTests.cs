using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class MappingFileTests
{
    [Fact]
    public async Task OnlineRetailSlice_ImportsThroughAMapping_WithCInvoicesAsReturns()
    {
        await using var mapping = Fixture.Open("PosExports/online-retail.mapping.json");
        var layout = await PosMappingFile.LoadAsync(mapping);
        var rows = await PosRead.FixtureAsync("online-retail-invoices-slice.csv", layout);

        Assert.Equal(2000, rows.Count);
        Assert.All(rows, r => Assert.Equal(PosRowStatus.Imported, r.Status));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), rows.Select(r => r.RecordNumber));

        var orders = rows.Select(r => r.Order!).ToList();
        Assert.Equal(100, orders.Count(o => o.Kind == OrderKind.Return));
        Assert.All(orders.Where(o => o.Kind == OrderKind.Return), o => Assert.StartsWith("pos:uk-online:tx:C", o.OrderKey, StringComparison.Ordinal));
        Assert.Equal(1998, orders.Select(o => o.OrderKey).Distinct().Count());

        // 536365,12/1/2010 8:26,17850,United Kingdom,40,3.91 (London is on GMT in December).
        var first = rows[0];
        Assert.Equal("pos:uk-online:tx:536365", first.Order!.OrderKey);
        Assert.Equal((156.40m, "GBP", SalesChannel.Online), (first.Order.Gross, first.Order.Currency, first.Order.Channel));
        Assert.Equal(new DateTimeOffset(2010, 12, 1, 8, 26, 0, TimeSpan.Zero), first.Order.PlacedAt);
        Assert.Equal(["pos:online-retail:17850"], first.Activity!.Identities.SourceCustomerIds);
        Assert.Equal(["pos:uk-online:17850"], first.Activity!.Identities.FormerSourceCustomerIds);

        // 536367: 83 × 4.8533 = 402.8239, rounded to pence.
        Assert.Equal(402.82m, rows[2].Order!.Gross);

        // C536379,12/1/2010 9:41,14527,United Kingdom,-1,27.5
        var cancellation = rows.Single(r => r.TransactionId == "C536379").Order!;
        Assert.Equal((OrderKind.Return, 0m, 27.50m), (cancellation.Kind, cancellation.Gross, cancellation.Refunded));
    }

    [Fact]
    public void Mapping_ListsOfColumnsAndTab_AreRead()
    {
        var layout = PosMappingFile.Parse("""
            {
              // comments are allowed
              "delimiter": "tab",
              "columns": { "transactionId": "Receipt", "timestamp": "When", "total": "Sum", "phone": ["Mobile", "Phone"] },
              "returns": { "typeValues": ["R"], "negativeTotal": false },
            }
            """);
        Assert.Equal('\t', layout.Delimiter);
        Assert.Equal("Mobile|Phone", layout.Columns.Phone);
        Assert.Null(layout.Columns.Email);
        Assert.Equal(["R"], layout.Returns.TypeValues);
        Assert.False(layout.Returns.NegativeTotal);
    }

    [Theory]
    [InlineData("""{"colums": {}}""", "POS mapping: the object 'columns' is required.")]
    [InlineData("""{"columns": {"transactionId": "Id"}, "delimter": ";"}""", "POS mapping: unknown key 'delimter'.")]
    [InlineData("""{"columns": {"txId": "Id"}}""", "POS mapping: unknown key 'columns.txId'")]
    [InlineData("""{"columns": {"transactionId": "Id"}, "amount": "sum"}""", "POS mapping: 'amount' must be Total or QuantityTimesUnitPrice.")]
    [InlineData("""{"columns": {"transactionId": "Id"}, "orderKeyTemplate": "pos:{store}"}""", "POS mapping: 'orderKeyTemplate' must be a template containing {id}.")]
    [InlineData("""{"columns": {"transactionId": 5}}""", "POS mapping: 'columns.transactionId' must be a string or a list of strings.")]
    [InlineData("""{"columns": """, "POS mapping: malformed JSON at line 1")]
    public void Mapping_Mistakes_AreReportedByKey(string json, string expectedStart)
    {
        var error = Assert.Throws<FormatException>(() => PosMappingFile.Parse(json));
        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }
}
