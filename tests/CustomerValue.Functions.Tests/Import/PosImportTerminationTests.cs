using System.Net;
using System.Text.Json;
using CustomerValue.Application.PosImports;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>
/// Every upload ends, with a report saying why: a legal name is imported whatever dots it holds, content that cannot be
/// read fails at once, and an import that keeps failing on the infrastructure gives up after the configured attempts.
/// </summary>
public sealed class PosImportTerminationTests : IDisposable
{
    private const string Csv = EndToEnd.PosHeader + "T1,2026-01-01T10:00:00Z,sale,10.00,USD,s1,C1,a@example.com,,,,\nT2,2026-01-02T10:00:00Z,sale,12.50,USD,s1,C2,,,,,\n";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-import-end-" + Guid.NewGuid().ToString("N"));

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

    [Theory]
    [InlineData("a..b.csv", true)]
    [InlineData("store-1/2026..01.csv", true)]
    [InlineData("..", false)]
    [InlineData("../a.csv", false)]
    [InlineData("a/../b.csv", false)]
    [InlineData("/a.csv", false)]
    [InlineData("a//b.csv", false)]
    [InlineData("a\\..\\b.csv", false)]
    public void ExportName_DotsInsideASegmentAreLegal_ParentSegmentsAreNot(string name, bool legal) =>
        Assert.Equal(legal, ImportPosExportFunction.IsExportName(name));

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("2000000")]
    public async Task BatchSizeOutOfRange_StopsTheStartUp_NamingTheSetting(string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningServer.StartAsync(settings: new Dictionary<string, string?> { ["PosExports:BatchRecords"] = value }));

        Assert.Contains("PosExports:BatchRecords", error.Message, StringComparison.Ordinal);
        Assert.Contains($"it is {value}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPosExport_NameWithTwoDotsInsideIt_IsImported()
    {
        await using var server = await RunningServer.StartAsync();

        var report = await EndToEnd.ImportPosAsync(server, "a..b.csv", Csv);

        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("accepted").GetInt64());
    }

    [Fact]
    public async Task LocalInbox_FileWithTwoDotsInItsName_IsImportedOnce_WithAReport()
    {
        await using var server = await RunningServer.StartAsync(localMode: true);
        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "a..b.csv"), Csv);

        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(EndToEnd.Timeout());

        var reportFile = Path.Combine(server.DataDir, "pos-exports-reports", "a..b.csv.report.json");
        Assert.True(File.Exists(reportFile));
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(reportFile));
        Assert.Equal("completed", report.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Import_ThatKeepsFailingOnTheStore_EndsWithAFailedReport_AfterMaxAttempts()
    {
        var (exports, store) = await SetUpAsync();
        var failing = new ProfileWritesFail(store);
        var importer = ImportHarness.Importer(exports, failing, new PosExportSettings { MaxAttempts = 3 });

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await Assert.ThrowsAsync<IOException>(() => importer.ImportAsync("store-1.csv", CancellationToken.None));
        }

        var writesBefore = failing.ProfileWrites;
        var report = await importer.ImportAsync("store-1.csv", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(PosImportStatus.Failed, report.Status);
        Assert.Equal(3, report.Attempts);
        Assert.Contains("Gave up after 3 attempts", report.Error, StringComparison.Ordinal);
        Assert.Contains("profiles are unavailable", report.Error, StringComparison.Ordinal);
        Assert.True(report.Reconciles);
        var written = await File.ReadAllTextAsync(Path.Combine(exports.ReportsFolder, "store-1.csv.report.json"));
        Assert.Contains("\"status\":\"failed\"", written, StringComparison.Ordinal);

        // Terminal: the attempt that gave up and any later trigger return the report without trying the profiles again.
        var again = await importer.ImportAsync("store-1.csv", CancellationToken.None);
        Assert.Equal(PosImportStatus.Failed, again!.Status);
        Assert.Equal(writesBefore, failing.ProfileWrites);
    }

    [Fact]
    public async Task Import_WhoseContentCannotBeRead_FailsAtOnce_WithTheReason()
    {
        var (exports, store) = await SetUpAsync();
        var importer = ImportHarness.Importer(new UnreadableContent(exports), store);

        var report = await importer.ImportAsync("store-1.csv", CancellationToken.None);

        Assert.NotNull(report);
        Assert.Equal(PosImportStatus.Failed, report.Status);
        Assert.Equal(1, report.Attempts);
        Assert.Contains("corrupt archive", report.Error, StringComparison.Ordinal);
    }

    private async Task<(FolderPosExportStorage Exports, SqliteDocumentStore Store)> SetUpAsync()
    {
        var inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "store-1.csv"), Csv);
        var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();
        return (new FolderPosExportStorage(inbox), store);
    }

    /// <summary>Every profile write fails, as with a store that is down for profiles only; the rest works.</summary>
    private sealed class ProfileWritesFail(IDocumentStore inner) : DelegatingDocumentStore(inner)
    {
        private int _profileWrites;

        public int ProfileWrites => Volatile.Read(ref _profileWrites);

        public override Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
            container == ContainerNames.Profiles ? Fail<StoredDocument<T>>() : base.CreateAsync(container, id, partitionKey, body, cancellationToken);

        public override Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
            container == ContainerNames.Profiles ? Fail<StoredDocument<T>>() : base.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken);

        public override Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
            container == ContainerNames.Profiles ? Fail<StoredDocument<T>>() : base.UpsertAsync(container, id, partitionKey, body, cancellationToken);

        public override Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
            writes.Any(w => w.Container == ContainerNames.Profiles) ? Fail<IReadOnlyList<string?>>() : base.WriteAllAsync(writes, cancellationToken);

        private Task<TResult> Fail<TResult>()
        {
            Interlocked.Increment(ref _profileWrites);
            return Task.FromException<TResult>(new IOException("The profiles are unavailable."));
        }
    }

    /// <summary>Export storage whose content throws as a corrupt archive would: a fault of the upload, not of the infrastructure.</summary>
    private sealed class UnreadableContent(IPosExportStorage inner) : IPosExportStorage
    {
        public string Location => inner.Location;

        public Task<PosExportInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default) => inner.GetInfoAsync(name, cancellationToken);

        public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) => throw new InvalidDataException("corrupt archive");

        public Task<Stream> OpenReadAsync(PosExportInfo export, CancellationToken cancellationToken = default) => throw new InvalidDataException("corrupt archive");

        public IAsyncEnumerable<PosExportInfo> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public Task WriteReportAsync(string exportName, string fileName, Stream content, CancellationToken cancellationToken = default) =>
            inner.WriteReportAsync(exportName, fileName, content, cancellationToken);
    }
}
