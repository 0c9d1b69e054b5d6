using System.Collections.Concurrent;
using CustomerValue.Application.PosImports;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>
/// A batch ends at <see cref="PosExportSettings.BatchRecords"/> rows or at <see cref="PosExportSettings.BatchPeople"/>
/// different customers, whichever comes first: what a batch holds while it is applied grows with its people. Seen from
/// the checkpoints, which are written after every batch.
/// </summary>
public sealed class PosImportBatchTests : IDisposable
{
    private const string Header = "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-import-batch-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Batch_EndsAtTheRowThatBringsItsLastAllowedPerson()
    {
        // Customers by row: a a b b c | anonymous rows name nobody and do not count.
        const string Export = "T1,2025-03-01T09:00:00Z,sale,10,USD,s1,a,,,,,\n"
            + "T2,2025-03-01T09:01:00Z,sale,11,USD,s1,a,,,,,\n"
            + "T3,2025-03-01T09:02:00Z,sale,12,USD,s1,,,,,,\n"
            + "T4,2025-03-01T09:03:00Z,sale,13,USD,s1,b,,,,,\n"
            + "T5,2025-03-01T09:04:00Z,sale,14,USD,s1,b,,,,,\n"
            + "T6,2025-03-01T09:05:00Z,sale,15,USD,s1,c,,,,,\n"
            + "T7,2025-03-01T09:06:00Z,sale,16,USD,s1,c,,,,,\n";

        var (report, checkpoints) = await ImportAsync(Export, new PosExportSettings { BatchPeople = 2 });

        Assert.Equal(7, report.Read);
        Assert.Equal(6, report.Accepted);
        Assert.Equal(1, report.Anonymous);
        // a and b: the first batch ends at row 4; b and c: the second at row 6; the last row alone.
        Assert.Equal([4, 6, 7], checkpoints);
    }

    [Fact]
    public async Task Batch_OfOnePersonsRows_EndsAtItsRowLimit()
    {
        var export = string.Concat(Enumerable.Range(1, 5).Select(i => $"T{i},2025-03-01T09:0{i}:00Z,sale,{10 + i},USD,s1,a,,,,,\n"));

        var (report, checkpoints) = await ImportAsync(export, new PosExportSettings { BatchRecords = 2, BatchPeople = 2 });

        Assert.Equal(5, report.Accepted);
        Assert.Equal([2, 4, 5], checkpoints);
    }

    [Fact]
    public void BatchPeople_OutOfRange_IsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new PosExportSettings { BatchPeople = 0 }.Validated());

        Assert.Contains("PosExports:BatchPeople", error.Message, StringComparison.Ordinal);
    }

    private async Task<(PosImportReport Report, long[] Checkpoints)> ImportAsync(string rows, PosExportSettings settings)
    {
        var inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "day.csv"), Header + rows);
        using var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();
        var watched = new CheckpointWatchingStore(store);

        var report = await ImportHarness.Importer(new FolderPosExportStorage(inbox), watched, settings).ImportAsync("day.csv", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(PosImportStatus.Completed, report.Status);
        Assert.True(report.Reconciles);
        return (report, [.. watched.Checkpoints.Distinct()]);
    }

    /// <summary>Records the progress of every running report written: one per batch.</summary>
    private sealed class CheckpointWatchingStore(IDocumentStore inner) : DelegatingDocumentStore(inner)
    {
        private readonly ConcurrentQueue<long> _checkpoints = new();

        public IEnumerable<long> Checkpoints => _checkpoints.Where(r => r > 0);

        public override Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default)
        {
            if (body is PosImportReport { Status: PosImportStatus.Running } report)
            {
                _checkpoints.Enqueue(report.RecordsDone);
            }

            return base.UpsertAsync(container, id, partitionKey, body, cancellationToken);
        }
    }
}
