using System.Globalization;
using System.Text;
using CustomerValue.Application.PosImports;
using CustomerValue.Domain.Profiles;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>
/// A POS import that dies halfway (the store fails mid-batch, as a crashed host would leave it) and is retried must
/// end with every row counted once and every sale on its profile once; a re-upload of the same file changes nothing.
/// </summary>
public sealed class PosImportResumeTests : IDisposable
{
    private const int Rows = 3 * PosExportImporter.BatchRecords + 517;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-import-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    [Trait("Category", "Slow")] // a large export imported three times: run by tests/run.sh, skipped by --fast
    public async Task Import_CrashedHalfwayAndRetried_CountsEveryRowOnce_AndReuploadOnlyFindsDuplicates()
    {
        var inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(inbox);
        var expected = WriteExport(Path.Combine(inbox, "store-1.csv"));
        using var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();
        var exports = new FolderPosExportStorage(inbox);

        var crashing = new FailingStore(store, profileWritesBeforeFailure: 1500);
        await Assert.ThrowsAsync<IOException>(() => Importer(exports, crashing).ImportAsync("store-1.csv", CancellationToken.None));
        var version = (await exports.GetInfoAsync("store-1.csv"))!.Version;
        var reportId = "imp-" + CustomerValue.Domain.Identities.IdentityKey.Sha256Hex($"store-1.csv|{version}")[..40];
        var interrupted = (await store.ReadAsync<PosImportReport>(ContainerNames.Imports, reportId, reportId))?.Body;
        Assert.NotNull(interrupted);
        Assert.Equal(PosImportStatus.Running, interrupted.Status);
        Assert.InRange(interrupted.RecordsDone, 1, Rows - 1);

        var report = await Importer(exports, store).ImportAsync("store-1.csv", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(PosImportStatus.Completed, report.Status);
        Assert.Equal(Rows, report.Read);
        Assert.True(report.Reconciles);
        // The file holds no duplicates: rows stored before the crash but after the checkpoint are this upload's own.
        Assert.Equal(expected.Identified, report.Accepted);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(expected.Anonymous, report.Anonymous);
        Assert.Equal(expected.Bad, report.Quarantined);
        Assert.Equal(expected.IdentifiedGross, await GrossOnProfilesAsync(store));

        // The same file uploaded again is a new upload: imported again, every identified row a duplicate.
        File.SetLastWriteTimeUtc(Path.Combine(inbox, "store-1.csv"), DateTime.UtcNow.AddMinutes(5));
        var again = await Importer(exports, store).ImportAsync("store-1.csv", CancellationToken.None);
        Assert.NotNull(again);
        Assert.Equal(expected.Identified, again.Duplicates);
        Assert.Equal(0, again.Accepted);
        Assert.Equal(expected.IdentifiedGross, await GrossOnProfilesAsync(store));
    }

    [Fact]
    [Trait("Category", "Slow")] // a large export, crashed twice
    public async Task Import_CrashedTwice_ReportAndQuarantineFileAreExact()
    {
        var inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(inbox);
        // A third of the rows are bad: more than the report document keeps, so the quarantine file must come from elsewhere.
        var expected = WriteExport(Path.Combine(inbox, "store-1.csv"), isBad: row => row % 3 == 1);
        Assert.True(expected.Bad > PosImportReport.MaxQuarantinedRowsKept);
        using var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();
        var exports = new FolderPosExportStorage(inbox);

        await Assert.ThrowsAsync<IOException>(() => Importer(exports, new FailingStore(store, profileWritesBeforeFailure: 700)).ImportAsync("store-1.csv", CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(() => Importer(exports, new FailingStore(store, profileWritesBeforeFailure: 1100)).ImportAsync("store-1.csv", CancellationToken.None));
        var report = await Importer(exports, store).ImportAsync("store-1.csv", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(PosImportStatus.Completed, report.Status);
        Assert.Equal(3, report.Attempts);
        Assert.Equal(Rows, report.Read);
        Assert.Equal(expected.Identified, report.Accepted);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(expected.Anonymous, report.Anonymous);
        Assert.Equal(expected.Bad, report.Quarantined);
        Assert.True(report.Reconciles);
        Assert.Equal(expected.IdentifiedGross, await GrossOnProfilesAsync(store));

        var quarantine = await File.ReadAllLinesAsync(Path.Combine(exports.ReportsFolder, "store-1.csv.quarantine.csv"));
        var records = quarantine.Skip(1).Select(line => long.Parse(line.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(expected.BadRecords, records);
    }

    private static PosExportImporter Importer(IPosExportStorage exports, IDocumentStore store) => ImportHarness.Importer(exports, store);

    private static async Task<decimal> GrossOnProfilesAsync(SqliteDocumentStore store)
    {
        var gross = 0m;
        await foreach (var profile in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            if (!profile.Body.IsRedirect)
            {
                gross += profile.Body.GrossRevenue;
            }
        }

        return gross;
    }

    /// <summary>Writes the export: 300 customers identified by id, e-mail or phone (900 profiles, as nothing links the three), walk-ins, a few bad rows.</summary>
    private static (long Identified, long Anonymous, long Bad, decimal IdentifiedGross, List<long> BadRecords) WriteExport(string path, Func<int, bool>? isBad = null)
    {
        isBad ??= row => row % 997 == 13;
        var badRecords = new List<long>();
        var random = new Random(7);
        var text = new StringBuilder("transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n");
        long identified = 0, anonymous = 0, bad = 0;
        var gross = 0m;
        var start = new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
        for (var row = 0; row < Rows; row++)
        {
            var at = start.AddMinutes(row * 7).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var total = (5m + random.Next(100, 20000) / 100m).ToString(CultureInfo.InvariantCulture);
            if (isBad(row))
            {
                text.Append(CultureInfo.InvariantCulture, $"T{row},{at},sale,not-a-number,USD,s1,,,,,,\n");
                bad++;
                badRecords.Add(row + 1);
                continue;
            }

            if (random.Next(10) == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"T{row},{at},sale,{total},USD,s1,,,,,,\n");
                anonymous++;
                continue;
            }

            var customer = random.Next(300);
            var (id, email, phone) = random.Next(3) switch
            {
                0 => ($"c{customer}", string.Empty, string.Empty),
                1 => (string.Empty, $"Customer{customer}@Example.com ", string.Empty),
                _ => (string.Empty, string.Empty, $"(202) 456-{1000 + customer}"),
            };
            text.Append(CultureInfo.InvariantCulture, $"T{row},{at},sale,{total},USD,s1,{id},{email},{phone},Pat,Lee,\n");
            identified++;
            gross += decimal.Parse(total, CultureInfo.InvariantCulture);
        }

        File.WriteAllText(path, text.ToString());
        return (identified, anonymous, bad, gross, badRecords);
    }

    /// <summary>Passes everything to the real store until a number of profile writes, then fails every write like a dead host.</summary>
    private sealed class FailingStore(IDocumentStore inner, int profileWritesBeforeFailure) : DelegatingDocumentStore(inner)
    {
        private int _profileWrites;

        public override Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
            Write(container, () => base.CreateAsync(container, id, partitionKey, body, cancellationToken));

        public override Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
            Write(container, () => base.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken));

        public override Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
            Write(container, () => base.UpsertAsync(container, id, partitionKey, body, cancellationToken));

        public override Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
            Write(container, () => base.DeleteAsync(container, id, partitionKey, cancellationToken));

        /// <summary>A write set counts each profile it writes: a batch written as one set dies once it crosses the limit.</summary>
        public override Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            var profiles = writes.Count(w => w.Container == ContainerNames.Profiles);
            if (Volatile.Read(ref _profileWrites) >= profileWritesBeforeFailure || Interlocked.Add(ref _profileWrites, profiles) > profileWritesBeforeFailure)
            {
                return Task.FromException<IReadOnlyList<string?>>(new IOException("The host died."));
            }

            return base.WriteAllAsync(writes, cancellationToken);
        }

        private Task<TResult> Write<TResult>(string container, Func<Task<TResult>> write)
        {
            if (Volatile.Read(ref _profileWrites) >= profileWritesBeforeFailure
                || (container == ContainerNames.Profiles && Interlocked.Increment(ref _profileWrites) > profileWritesBeforeFailure))
            {
                return Task.FromException<TResult>(new IOException("The host died."));
            }

            return write();
        }
    }
}
