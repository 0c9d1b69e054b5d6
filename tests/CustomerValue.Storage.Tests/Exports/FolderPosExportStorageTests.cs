using System.Text;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Embedded;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Storage.Tests.Exports;

public sealed class FolderPosExportStorageTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _inbox;
    private readonly FolderPosExportStorage _storage;

    public FolderPosExportStorageTests()
    {
        _inbox = _root.File("pos-exports");
        _storage = new FolderPosExportStorage(_inbox);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Constructor_CreatesTheInboxAndTheSiblingReportsFolder()
    {
        Assert.True(Directory.Exists(_inbox));
        Assert.Equal(_root.File("pos-exports-reports"), _storage.ReportsFolder);
        Assert.True(Directory.Exists(_storage.ReportsFolder));
        Assert.Equal(_inbox, _storage.Location);
    }

    [Fact]
    public async Task List_SkipsFilesStillBeingUploaded()
    {
        Write("b.csv", "b");
        Write("a.csv", "a");
        Write("c.csv.tmp", "partial");
        Write("d.CSV.TMP", "partial");
        Write("e.csv.partial", "partial");

        var names = await ListNamesAsync();

        Assert.Equal(["a.csv", "b.csv"], names);
    }

    [Fact]
    public async Task List_NamesFilesInSubfoldersWithForwardSlashes()
    {
        Write("store-7/2024-05-01.csv", "x");
        Write("top.csv", "x");

        var names = await ListNamesAsync();

        Assert.Equal(["store-7/2024-05-01.csv", "top.csv"], names);
        Assert.NotNull(await _storage.GetInfoAsync("store-7/2024-05-01.csv"));
    }

    [Fact]
    public async Task List_DoesNotIncludeReports()
    {
        Write("a.csv", "x");
        await WriteReportAsync("a.csv", "report.json", "{}");

        Assert.Equal(["a.csv"], await ListNamesAsync());
    }

    [Fact]
    public async Task GetInfo_DescribesAnExistingExportAndReturnsNullForAMissingOne()
    {
        Write("a.csv", "12345");

        var info = await _storage.GetInfoAsync("a.csv");

        Assert.NotNull(info);
        Assert.Equal("a.csv", info.Name);
        Assert.Equal(5, info.Length);
        Assert.False(string.IsNullOrEmpty(info.Version));
        Assert.Null(await _storage.GetInfoAsync("missing.csv"));
    }

    [Fact]
    public async Task OpenRead_StreamsTheContent()
    {
        Write("a.csv", "id;amount\n1;9.99\n");

        await using var stream = await _storage.OpenReadAsync("a.csv");
        using var reader = new StreamReader(stream);

        Assert.Equal("id;amount\n1;9.99\n", await reader.ReadToEndAsync());
    }

    [Theory]
    [InlineData("../outside.csv")]
    [InlineData("../pos-exports-reports/a.csv.report.json")]
    [InlineData("sub/../../outside.csv")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Names_ThatEscapeTheInbox_AreRejected(string name)
    {
        File.WriteAllText(_root.File("outside.csv"), "secret");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => _storage.GetInfoAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _storage.OpenReadAsync(name));
    }

    [Theory]
    [InlineData("../../outside")]
    [InlineData("/tmp/outside")]
    public async Task WriteReport_ForANameThatEscapesTheReportsFolder_IsRejected(string exportName)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => WriteReportAsync(exportName, "report.json", "{}"));
    }

    [Fact]
    public async Task WriteReport_WritesNextToTheExportInTheReportsFolderAndReplacesAnOlderOne()
    {
        Write("store-7/a.csv", "x");

        await WriteReportAsync("store-7/a.csv", "report.json", "{\"v\":1}");
        await WriteReportAsync("store-7/a.csv", "report.json", "{\"v\":2}");

        var report = Path.Combine(_storage.ReportsFolder, "store-7", "a.csv.report.json");
        Assert.Equal("{\"v\":2}", File.ReadAllText(report));
        Assert.Equal([report], Directory.EnumerateFiles(_storage.ReportsFolder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task OpenReadPinned_FileOverwrittenInPlaceWhileItIsRead_StillReadsTheVersionOpened()
    {
        Write("a.csv", "version-1,aaaaaaaaaaaaaaaaaaaa\n");
        var info = (await _storage.GetInfoAsync("a.csv"))!;

        await using var stream = await _storage.OpenReadAsync(info);
        // Overwritten in place (same file, truncated and rewritten), as an editor or an exporting till does.
        await using (var file = new FileStream(Path.Combine(_inbox, "a.csv"), FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
        {
            await file.WriteAsync(Encoding.UTF8.GetBytes("version-2,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"));
        }

        using var reader = new StreamReader(stream);
        Assert.Equal("version-1,aaaaaaaaaaaaaaaaaaaa\n", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task OpenReadPinned_SnapshotIsDeletedWhenTheStreamCloses_AndNeverListed()
    {
        Write("a.csv", "a");
        var info = (await _storage.GetInfoAsync("a.csv"))!;

        await using (await _storage.OpenReadAsync(info))
        {
            Assert.Equal(["a.csv"], await ListNamesAsync());
        }

        Assert.Empty(Directory.EnumerateFiles(_root.File("pos-exports-snapshots")));
    }

    [Fact]
    public async Task Version_WhenContentIsReplaced_Changes()
    {
        Write("a.csv", "first upload");
        var before = await _storage.GetInfoAsync("a.csv");

        Write("a.csv", "second, longer upload");
        var after = await _storage.GetInfoAsync("a.csv");

        Assert.NotEqual(before!.Version, after!.Version);
    }

    [Fact]
    public async Task Version_WhenContentOfTheSameLengthIsReplacedLater_Changes()
    {
        Write("a.csv", "aaaa");
        var written = File.GetLastWriteTimeUtc(Path.Combine(_inbox, "a.csv"));
        var before = await _storage.GetInfoAsync("a.csv");

        Write("a.csv", "bbbb");
        // A later write, whatever the file system's timestamp resolution: set the time rather than wait for it to move.
        File.SetLastWriteTimeUtc(Path.Combine(_inbox, "a.csv"), written.AddSeconds(1));
        var after = await _storage.GetInfoAsync("a.csv");

        Assert.NotEqual(before!.Version, after!.Version);
    }

    [Fact]
    public async Task Version_WhenNothingChanged_IsStable()
    {
        Write("a.csv", "x");

        var first = await _storage.GetInfoAsync("a.csv");
        var second = await _storage.GetInfoAsync("a.csv");
        var listed = Assert.Single(await ToListAsync(_storage.ListAsync()));

        Assert.Equal(first!.Version, second!.Version);
        Assert.Equal(first.Version, listed.Version);
    }

    [Fact]
    public async Task Inbox_GivenWithATrailingSeparator_StillServesItsExports()
    {
        var storage = new FolderPosExportStorage(_inbox + Path.DirectorySeparatorChar);
        Write("a.csv", "x");

        Assert.NotNull(await storage.GetInfoAsync("a.csv"));
        Assert.Equal(_storage.ReportsFolder, storage.ReportsFolder);
    }

    private void Write(string name, string content)
    {
        var path = Path.Combine(_inbox, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task WriteReportAsync(string exportName, string fileName, string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        await _storage.WriteReportAsync(exportName, fileName, stream);
    }

    private async Task<List<string>> ListNamesAsync() => [.. (await ToListAsync(_storage.ListAsync())).Select(e => e.Name)];

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
