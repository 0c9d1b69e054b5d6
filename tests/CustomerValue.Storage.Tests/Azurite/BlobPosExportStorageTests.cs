using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CustomerValue.Storage.Azure.Blobs;
using CustomerValue.Storage.Exports;
using CustomerValue.Storage.Tests.Emulators;

namespace CustomerValue.Storage.Tests.Azurite;

[Trait("Category", "Slow")] // starts an emulator: run by tests/run.sh, skipped by --fast
[Collection(AzuriteCollection.Name)]
public sealed class BlobPosExportStorageTests(AzuriteFixture azurite)
{
    private const string Csv = "transaction_id,timestamp,total\nT-1,2025-01-05T10:15:00Z,42.50\n";

    [Fact]
    public async Task EnsureContainers_CreatesBothContainers_AndCanBeRepeated()
    {
        var (storage, exports, reports) = azurite.CreateStorage();
        Assert.False(await exports.ExistsAsync());
        Assert.False(await reports.ExistsAsync());

        await storage.EnsureContainersAsync();
        await storage.EnsureContainersAsync();

        Assert.True(await exports.ExistsAsync());
        Assert.True(await reports.ExistsAsync());
        Assert.Equal(exports.Uri.ToString(), storage.Location);
    }

    [Fact]
    public async Task EnsureContainers_WithTheProductionNames_CreatesPosExportsAndPosExportsReports()
    {
        var storage = new BlobPosExportStorage(
            azurite.Client.GetBlobContainerClient(BlobPosExportStorage.ExportsContainer),
            azurite.Client.GetBlobContainerClient(BlobPosExportStorage.ReportsContainer));

        await storage.EnsureContainersAsync();

        var names = new List<string>();
        await foreach (var container in azurite.Client.GetBlobContainersAsync(prefix: "pos-exports"))
        {
            names.Add(container.Name);
        }

        Assert.Contains("pos-exports", names);
        Assert.Contains("pos-exports-reports", names);
    }

    [Fact]
    public async Task GetInfo_OfAMissingExport_IsNull()
    {
        var (storage, _, _) = azurite.CreateStorage();
        Assert.Null(await storage.GetInfoAsync("missing.csv")); // container missing too

        await storage.EnsureContainersAsync();
        Assert.Null(await storage.GetInfoAsync("missing.csv"));
        Assert.Null(await storage.GetInfoAsync("store-7/missing.csv"));
    }

    [Fact]
    public async Task GetInfo_AfterUpload_HasLengthAndETag_AndTheVersionChangesWhenTheBlobIsReplaced()
    {
        var (storage, exports, _) = await CreateStorageAsync();
        var blob = exports.GetBlobClient("store-7/2025-01-05.csv");
        var first = await blob.UploadAsync(BinaryData.FromString(Csv));

        var info = await storage.GetInfoAsync("store-7/2025-01-05.csv");

        Assert.NotNull(info);
        Assert.Equal("store-7/2025-01-05.csv", info.Name);
        Assert.Equal(Encoding.UTF8.GetByteCount(Csv), info.Length);
        Assert.Equal(first.Value.ETag.ToString(), info.Version);
        Assert.False(string.IsNullOrWhiteSpace(info.Version));

        // Reading again without a change gives the same version ...
        Assert.Equal(info, await storage.GetInfoAsync("store-7/2025-01-05.csv"));

        // ... replacing the blob (even with the same bytes) gives a new one.
        await blob.UploadAsync(BinaryData.FromString(Csv), overwrite: true);
        var sameBytes = await storage.GetInfoAsync("store-7/2025-01-05.csv");
        Assert.NotNull(sameBytes);
        Assert.NotEqual(info.Version, sameBytes.Version);

        await blob.UploadAsync(BinaryData.FromString(Csv + "T-2,2025-01-05T11:00:00Z,1.00\n"), overwrite: true);
        var replaced = await storage.GetInfoAsync("store-7/2025-01-05.csv");
        Assert.NotNull(replaced);
        Assert.NotEqual(sameBytes.Version, replaced.Version);
        Assert.Equal(Encoding.UTF8.GetByteCount(Csv) + 30, replaced.Length);
    }

    [Fact]
    public async Task List_ListsTheExportsWithTheirLengthAndVersion_ButNotTheReports()
    {
        var (storage, exports, _) = await CreateStorageAsync();
        await exports.GetBlobClient("b.csv").UploadAsync(BinaryData.FromString("bb"));
        await exports.GetBlobClient("a.csv").UploadAsync(BinaryData.FromString("a"));
        await exports.GetBlobClient("store-7/2025-01-05.csv").UploadAsync(BinaryData.FromString(Csv));
        await storage.WriteReportAsync("a.csv", "report.json", new MemoryStream("{}"u8.ToArray()));

        var listed = new List<PosExportInfo>();
        await foreach (var export in storage.ListAsync())
        {
            listed.Add(export);
        }

        Assert.Equal(["a.csv", "b.csv", "store-7/2025-01-05.csv"], listed.Select(e => e.Name));
        foreach (var export in listed)
        {
            var info = await storage.GetInfoAsync(export.Name);
            Assert.NotNull(info);
            Assert.Equal(info.Length, export.Length);

            // Same upload, same ETag value, but (until the bug below is fixed) GetInfo quotes it and List does not.
            Assert.Equal(info.Version.Trim('"'), export.Version.Trim('"'));
        }

        // The fix proposed for BlobPosExportStorage: ETag.ToString("H") in both places gives one spelling.
        var properties = await exports.GetBlobClient("a.csv").GetPropertiesAsync();
        await foreach (var item in exports.GetBlobsAsync(BlobTraits.None, BlobStates.None, "a.csv", CancellationToken.None))
        {
            Assert.Equal(properties.Value.ETag.ToString("H"), item.Properties.ETag?.ToString("H"));
            Assert.Equal((await storage.GetInfoAsync("a.csv"))!.Version, item.Properties.ETag?.ToString("H"));
        }
    }

    [Fact]
    public async Task List_AndGetInfo_GiveTheSameVersionForTheSameUpload()
    {
        var (storage, exports, _) = await CreateStorageAsync();
        await exports.GetBlobClient("a.csv").UploadAsync(BinaryData.FromString("a"));

        await foreach (var export in storage.ListAsync())
        {
            Assert.Equal(await storage.GetInfoAsync(export.Name), export);
        }
    }

    [Fact]
    public async Task List_OfAnEmptyContainer_IsEmpty()
    {
        var (storage, _, _) = await CreateStorageAsync();

        await foreach (var export in storage.ListAsync())
        {
            Assert.Fail($"unexpected {export}");
        }
    }

    [Fact]
    public async Task WriteReport_WritesNameDotFileIntoTheReportsContainer_AndOverwrites()
    {
        var (storage, exports, reports) = await CreateStorageAsync();

        await storage.WriteReportAsync("store-7/2025-01-05.csv", "report.json", new MemoryStream("{\"imported\":1000}"u8.ToArray()));
        Assert.Equal("{\"imported\":1000}", await DownloadTextAsync(reports.GetBlobClient("store-7/2025-01-05.csv.report.json")));

        // A retry replaces the report (shorter content: no leftover bytes), from a non-seekable stream too.
        await storage.WriteReportAsync("store-7/2025-01-05.csv", "report.json", new NonSeekableStream("{\"imported\":2}"u8.ToArray()));
        Assert.Equal("{\"imported\":2}", await DownloadTextAsync(reports.GetBlobClient("store-7/2025-01-05.csv.report.json")));

        await storage.WriteReportAsync("store-7/2025-01-05.csv", "quarantine.csv", new MemoryStream("line,reason\n"u8.ToArray()));

        var names = new List<string>();
        await foreach (var blob in reports.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["store-7/2025-01-05.csv.quarantine.csv", "store-7/2025-01-05.csv.report.json"], names);
        Assert.False(await exports.GetBlobClient("store-7/2025-01-05.csv.report.json").ExistsAsync());
    }

    [Fact]
    public async Task OpenRead_StreamsTheContentExactly_AcrossSeveralBufferFills()
    {
        var (storage, exports, _) = await CreateStorageAsync();
        var content = new byte[(9 * 1024 * 1024) + 12_345]; // more than two of the 4 MB read-ahead buffers
        new Random(5).NextBytes(content);
        await exports.GetBlobClient("big.bin").UploadAsync(BinaryData.FromBytes(content));

        await using var stream = await storage.OpenReadAsync("big.bin");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81_920 + 7]; // odd read size: reads straddle the buffer boundaries
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        Assert.Equal(content.Length, total);
        Assert.Equal(SHA256.HashData(content), hash.GetHashAndReset());
    }

    [Fact]
    public async Task OpenRead_OfAnEmptyExport_ReadsNothing()
    {
        var (storage, exports, _) = await CreateStorageAsync();
        await exports.GetBlobClient("empty.csv").UploadAsync(BinaryData.FromBytes([]));

        await using var stream = await storage.OpenReadAsync("empty.csv");

        Assert.Equal(0, await stream.ReadAsync(new byte[16]));
    }

    [Fact]
    public async Task OpenRead_OfAMissingExport_Fails404()
    {
        var (storage, _, _) = await CreateStorageAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => storage.OpenReadAsync("missing.csv"));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task OpenRead_WhenTheExportIsReplacedWhileBeingRead_FailsInsteadOfMixingTwoUploads()
    {
        var (storage, exports, _) = await CreateStorageAsync();
        var blob = exports.GetBlobClient("replaced.csv");
        await blob.UploadAsync(BinaryData.FromBytes(new byte[6 * 1024 * 1024]));

        await using var stream = await storage.OpenReadAsync("replaced.csv");
        var buffer = new byte[1024 * 1024];
        await stream.ReadExactlyAsync(buffer); // within the first 4 MB range
        await blob.UploadAsync(BinaryData.FromBytes(new byte[6 * 1024 * 1024]), overwrite: true);

        var error = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });
        Assert.Equal(412, error.Status);
    }

    [Fact]
    public async Task OpenRead_PinnedToTheVersionFromGetInfo_FailsWhenTheExportWasReplacedInBetween()
    {
        // Not BlobPosExportStorage yet: the SDK call proposed for it (GetInfo's Version as If-Match when opening), so
        // an import keyed by name|version never reads the bytes of a later upload.
        var (storage, exports, _) = await CreateStorageAsync();
        var blob = exports.GetBlobClient("pinned.csv");
        await blob.UploadAsync(BinaryData.FromString(Csv));
        var info = await storage.GetInfoAsync("pinned.csv");
        Assert.NotNull(info);

        await using (var current = await blob.OpenReadAsync(Pinned(info.Version)))
        {
            Assert.Equal(Csv, await new StreamReader(current).ReadToEndAsync());
        }

        await blob.UploadAsync(BinaryData.FromString(Csv), overwrite: true);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.OpenReadAsync(Pinned(info.Version)));
        Assert.Equal(412, error.Status);

        static BlobOpenReadOptions Pinned(string version) => new(allowModifications: false)
        {
            BufferSize = 4 * 1024 * 1024,
            Conditions = new BlobRequestConditions { IfMatch = new ETag(version) },
        };
    }

    private async Task<(BlobPosExportStorage Storage, BlobContainerClient Exports, BlobContainerClient Reports)> CreateStorageAsync()
    {
        var created = azurite.CreateStorage();
        await created.Storage.EnsureContainersAsync();
        return created;
    }

    private static async Task<string> DownloadTextAsync(BlobClient blob) =>
        (await blob.DownloadContentAsync()).Value.Content.ToString();

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
