using System.Text;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class EncodingTests
{
    // How a till on Windows writes "Zoë Müller" and "Renée": Windows-1252, one byte per letter, no BOM.
    private static byte[] Windows1252Export()
    {
        const string Csv = "transaction_id,timestamp,total,customer_id,first_name,last_name\n"
            + "W-1,2025-04-01T10:00:00Z,10.00,1,Zoë,Müller\n"
            + "W-2,2025-04-01T10:00:00Z,12.00,2,Ann,Lee\n"
            + "W-3,2025-04-01T10:00:00Z,14.00,3,Renée,\n";
        return CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(Csv);
    }

    [Fact]
    public async Task Windows1252Export_ReadAsUtf8_QuarantinesTheRowsItWouldGarble()
    {
        var rows = await PosRead.AllAsync(new MemoryStream(Windows1252Export()), PosLayouts.Generic);

        Assert.Equal(
            [(PosRowStatus.Quarantined, "first_name"), (PosRowStatus.Imported, (string?)null), (PosRowStatus.Quarantined, "first_name")],
            rows.Select(r => (r.Status, r.Column)));
        Assert.Equal(
            "the record holds bytes that are not valid UTF-8: if the export is written in another encoding (e.g. windows-1252), name it in the layout's encoding",
            rows[0].Reason);
        Assert.DoesNotContain(rows, r => r.Activity?.FirstName?.Contains('\uFFFD', StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Windows1252Export_WithTheEncodingNamed_ImportsEveryRowUngarbled()
    {
        var layout = PosMappingFile.Parse("""{"encoding": "windows-1252", "columns": {"transactionId": "transaction_id", "timestamp": "timestamp", "total": "total", "customerId": "customer_id", "firstName": "first_name", "lastName": "last_name"}}""");
        var rows = await PosRead.AllAsync(new MemoryStream(Windows1252Export()), layout);

        Assert.All(rows, r => Assert.Equal(PosRowStatus.Imported, r.Status));
        Assert.Equal([("Zoë", "Müller"), ("Ann", "Lee"), ("Renée", null)], rows.Select(r => (r.Activity!.FirstName, r.Activity.LastName)));
    }

    [Fact]
    public async Task Utf8Export_WithABom_IsReadAsUtf8EvenWhenTheLayoutNamesWindows1252()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("transaction_id,timestamp,total,customer_id,first_name\nB-1,2025-04-01T10:00:00Z,1,1,Zoë\n")).ToArray();
        var rows = await PosRead.AllAsync(new MemoryStream(bytes), PosLayouts.Generic with { Encoding = "windows-1252" });
        Assert.Equal("Zoë", rows[0].Activity!.FirstName);
    }

    [Fact]
    public async Task UnknownEncoding_IsAFileError()
    {
        var error = Assert.Single(await PosRead.TextAsync("transaction_id,timestamp,total\n", PosLayouts.Generic with { Encoding = "klingon" }));
        Assert.Equal((PosRowStatus.FileError, "layout 'generic': encoding 'klingon' is unknown (use a name such as utf-8 or windows-1252)."), (error.Status, error.Reason));
    }

    [Fact]
    public void Mapping_UnknownEncoding_IsReportedByKey()
    {
        var error = Assert.Throws<FormatException>(() => PosMappingFile.Parse("""{"columns": {"transactionId": "Id"}, "encoding": "klingon"}"""));
        Assert.Equal("POS mapping: 'encoding' must be the name of a character encoding, e.g. utf-8, windows-1252 or iso-8859-15.", error.Message);
    }
}
