using System.Text.Json;
using Azure.Storage.Blobs;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Storage.Azure.Blobs;
using CustomerValue.Storage.Tests.Emulators;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// The whole server with <c>PosExportStorage</c> pointing at Azurite: POS exports come from and reports go to
/// Blob Storage through the real Azure.Storage.Blobs client, and local mode's inbox watcher stands in for the blob
/// trigger. The server owns the fixed container names, so this collection's Azurite serves this one server.
/// </summary>
[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(AzuriteCollection.Name)]
public sealed class PosExportFromAzuriteTests(AzuriteFixture azurite)
{
    private const string ExportName = "store-azurite.csv";

    // Five records: three sales of two customers, one anonymous walk-in sale, and record 4 (line 5) with a timestamp
    // no layout can read, which must be quarantined without stopping the import.
    private static readonly string Csv = "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n"
        + "AZ-1,2026-01-05T10:00:00Z,sale,40.00,USD,store-az,C1,ann.azure@example.com,,Ann,Azure,\n"
        + "AZ-2,2026-02-05T10:00:00Z,sale,60.00,USD,store-az,C1,ann.azure@example.com,,Ann,Azure,\n"
        + "AZ-3,2026-01-07T10:00:00Z,sale,25.50,USD,store-az,C2,bo.blob@example.com,,Bo,Blob,\n"
        + "AZ-4,yesterday,sale,10.00,USD,store-az,C3,cy.quarantined@example.com,,Cy,Quarantined,\n"
        + "AZ-5,2026-01-09T10:00:00Z,sale,12.00,USD,store-az,,,,,,\n";

    // Every record read ends in exactly one of these (PosImportReport.Reconciles).
    private static readonly string[] Outcomes = ["accepted", "duplicates", "anonymous", "quarantined", "skipped"];

    [Fact]
    public async Task ExportUploadedToAzurite_IsImportedByTheInboxWatcher_WithReconcilingReportAndQuarantineBlobs()
    {
        await using var server = await RunningServer.StartAsync(localMode: true, new Dictionary<string, string?>
        {
            ["PosExportStorage"] = azurite.ConnectionString,
        });
        // The server created both containers on start (StoreInitializer): the upload needs no setup of its own.
        var exports = azurite.Client.GetBlobContainerClient(BlobPosExportStorage.ExportsContainer);
        var reports = azurite.Client.GetBlobContainerClient(BlobPosExportStorage.ReportsContainer);

        await exports.GetBlobClient(ExportName).UploadAsync(BinaryData.FromString(Csv), overwrite: true);

        var reportBlob = reports.GetBlobClient(ExportName + ".report.json");
        await Eventually.UntilAsync(async () => await reportBlob.ExistsAsync(), () => $"no {reportBlob.Name} in {reports.Name}; Azurite said:\n{azurite.Log}");
        using var report = JsonDocument.Parse((await reportBlob.DownloadContentAsync()).Value.Content.ToString());
        var counts = report.RootElement;
        Assert.Equal("completed", counts.GetProperty("status").GetString());
        Assert.Equal("generic", counts.GetProperty("layout").GetString());
        Assert.Equal(5, counts.GetProperty("read").GetInt64());
        Assert.Equal(3, counts.GetProperty("accepted").GetInt64());
        Assert.Equal(1, counts.GetProperty("anonymous").GetInt64());
        Assert.Equal(1, counts.GetProperty("quarantined").GetInt64());
        Assert.Equal(counts.GetProperty("read").GetInt64(), Outcomes.Sum(c => counts.GetProperty(c).GetInt64()));

        var quarantine = await ReadLinesAsync(reports.GetBlobClient(ExportName + ".quarantine.csv"));
        Assert.Equal("record,line,column,reason", quarantine[0]);
        Assert.StartsWith("4,5,", Assert.Single(quarantine.Skip(1)), StringComparison.Ordinal);

        var ann = await EndToEnd.SingleAsync(server.Client, "email", "ann.azure@example.com");
        Assert.Equal(2, ann.GetProperty("orders").GetInt32());
        Assert.Equal(100m, ann.GetProperty("netRevenue").GetDecimal());
        var bo = await EndToEnd.SingleAsync(server.Client, "email", "bo.blob@example.com");
        Assert.Equal(1, bo.GetProperty("orders").GetInt32());
        Assert.Empty(await EndToEnd.FindAsync(server.Client, "email", "cy.quarantined@example.com"));
    }

    private static async Task<string[]> ReadLinesAsync(BlobClient blob)
    {
        Assert.True(await blob.ExistsAsync(), $"{blob.BlobContainerName}/{blob.Name} was not written");
        var text = (await blob.DownloadContentAsync()).Value.Content.ToString();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
