using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Azure.Blobs;

namespace CustomerValue.Storage.Tests.Emulators;

/// <summary>
/// One Azurite Blob service for a test collection: <c>tests/emulators/azurite/azurite-blob.js</c> (Azurite's
/// <c>azurite-blob</c>, installed with <c>npm ci</c> into <c>tests/emulators/azurite</c> on first use) on 127.0.0.1
/// with a port the OS picks, storing into a temp folder deleted afterwards, stopped when the collection ends (the
/// wrapper also exits when its stdin closes, i.e. when the test host dies). Flags as in DESIGN.md ("Test backends"):
/// <c>--skipApiVersionCheck</c> because Azure.Storage.Blobs sends a newer API version than Azurite knows.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>The well-known development storage account of Azurite.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known key of <see cref="AccountName"/> (public, documented by Microsoft; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory _location = new();
    private NodeServer? _server;
    private BlobServiceClient? _client;
    private int _containers;

    /// <summary>The Blob endpoint, e.g. http://127.0.0.1:40123/devstoreaccount1.</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>The explicit devstoreaccount1 connection string for this server's port.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>The client shared by the collection's tests.</summary>
    public BlobServiceClient Client => _client ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>What Azurite printed (for failure messages).</summary>
    public string Log => _server?.Log ?? string.Empty;

    /// <summary>
    /// Storage over a fresh pair of containers (not yet created) named like the real ones with a unique suffix, so
    /// tests sharing the server do not see each other's blobs.
    /// </summary>
    public (BlobPosExportStorage Storage, BlobContainerClient Exports, BlobContainerClient Reports) CreateStorage()
    {
        var suffix = $"{Interlocked.Increment(ref _containers)}-{Guid.NewGuid():N}"[..16];
        var exports = Client.GetBlobContainerClient($"{BlobPosExportStorage.ExportsContainer}-{suffix}");
        var reports = Client.GetBlobContainerClient($"{BlobPosExportStorage.ReportsContainer}-{suffix}");
        return (new BlobPosExportStorage(exports, reports), exports, reports);
    }

    public async Task InitializeAsync()
    {
        var (folder, _) = await EmulatorPackages.EnsureInstalledAsync("azurite");
        BlobEndpoint = await StartAsync(folder);
        _client = new BlobServiceClient(ConnectionString, new BlobClientOptions
        {
            // A test fails in seconds rather than retrying for minutes when the emulator misbehaves.
            Retry = { MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(200), NetworkTimeout = TimeSpan.FromSeconds(60) },
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _location.Dispose();
    }

    private async Task<Uri> StartAsync(string folder)
    {
        var (server, listening) = await NodeServer.StartAsync("Azurite", folder, "azurite-blob.js", [
            "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", _location.Path,
            "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
        ], ListeningLine());
        _server = server;
        return new Uri($"{listening.Groups["url"].Value}/{AccountName}");
    }

    [GeneratedRegex(@"successfully listens on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>The Blob Storage tests that share one Azurite (run one after another, in parallel with other collections).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>
/// The memory-measuring large-export test: an Azurite of its own, run alone after the parallel collections so that
/// other tests' allocations do not blur the measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AzuriteLargeExportCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite large export";
}
