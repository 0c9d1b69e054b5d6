using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Text.Json;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Azure.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// <see cref="CosmosDocumentStore"/> against the Cosmos-API server of the tests (<see cref="CosmosApiServer"/>, started
/// here unless <c>--cosmos-endpoint</c> names one), one database per phase, deleted after it. The client is set up as the
/// storage tests' fixture sets it up for that server (CosmosEmulatorFixture.Options): gateway mode, limited to the
/// endpoint, bulk off (the server cannot parse bulk or TransactionalBatch requests), keep-alive connections that
/// trust only this run's certificate — with a <see cref="RequestChargeMeter"/> under it.
/// </summary>
internal sealed class CosmosTarget : IStoreTarget
{
    private readonly CosmosApiServer? _server;
    private readonly RequestChargeMeter _meter;
    private readonly CosmosClient _client;
    private readonly CosmosStoreOptions _options;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly bool _scanViaChangeFeed;

    private CosmosTarget(CosmosApiServer? server, Uri endpoint, string key, string description, bool scanViaChangeFeed)
    {
        _server = server;
        _scanViaChangeFeed = scanViaChangeFeed;
        Description = description;
        var sockets = server?.CreateHandler() ?? new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        };
        if (server is null && IsLoopback(endpoint))
        {
            // An emulator on this machine presents a self-signed certificate: accept an untrusted chain there, but
            // still only a certificate issued for the name we connect to.
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;
        }

        _meter = new RequestChargeMeter(sockets);
        _options = new CosmosStoreOptions
        {
            Endpoint = endpoint,
            Key = key,
            CreateIfMissing = true,
            AllowBulk = false,
            GatewayMode = true,
            LimitToEndpoint = true,
            // The SDK may ask more than once; every client shares the meter, which the target disposes.
            HttpClientFactory = () => new HttpClient(_meter, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(60) },
            ApplicationName = "CustomerValue.Functions bench stores",
        };
        _client = CosmosDocumentStore.CreateClient(_options);
    }

    /// <inheritdoc />
    public string Name => _server is null ? "Cosmos DB endpoint" : "Cosmos-API server";

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>True when scans read the change feed (<see cref="ChangeFeedScanStore"/>) instead of querying.</summary>
    public bool ScanViaChangeFeed => _scanViaChangeFeed;

    /// <inheritdoc />
    public string ScanMethod => _scanViaChangeFeed
        ? $"change feed, pages of {_options.ScanPageSize} (stand-in)"
        : $"query, pages of {_options.ScanPageSize}";

    /// <summary>
    /// Uses <paramref name="endpoint"/> when given; otherwise installs (first time) and starts
    /// <c>tests/emulators/cosmos-server.js</c> of the checkout the app runs from (<see cref="RepositoryRoot.Find"/>).
    /// <paramref name="scanViaChangeFeed"/> null: the store's own query scan on an endpoint, the change-feed stand-in
    /// (<see cref="ChangeFeedScanStore"/>) on the test server, whose query engine cannot scan a large container.
    /// </summary>
    public static async Task<CosmosTarget> StartAsync(Uri? endpoint, string? key, bool? scanViaChangeFeed, TextWriter progress, CancellationToken cancellationToken)
    {
        if (endpoint is not null)
        {
            return new CosmosTarget(null, endpoint, key ?? CosmosApiServer.Key,
                $"Cosmos DB endpoint {endpoint} (given with --cosmos-endpoint; {(key is null ? "the emulator's well-known key" : "key from --cosmos-key")}), gateway mode, bulk off.",
                scanViaChangeFeed ?? false);
        }

        CosmosApiServer server;
        try
        {
            server = await CosmosApiServer.StartAsync(progress, cancellationToken);
        }
        catch (LocalServerException ex)
        {
            throw new BenchSetupException(ex.Message + "\nOr pass --cosmos-endpoint URL to use a server that is already running.", ex);
        }

        try
        {
            var description = string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "Cosmos-API server: {0} (@vercel/cosmosdb-server {1}, in memory, node {2}{3}) on {4} (pid {5}, certificate made for this run); gateway mode, bulk off.",
                Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(server.Folder, CosmosApiServer.Script)),
                PackageVersion(server.Folder), await NodeVersionAsync(cancellationToken), server.PackagesInstalled ? "; npm packages installed now" : "", server.Endpoint, server.ProcessId);
            return new CosmosTarget(server, server.Endpoint, CosmosApiServer.Key, description, scanViaChangeFeed ?? true);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<PhaseStore> OpenAsync(string phase, CancellationToken cancellationToken)
    {
        var database = $"bench-stores-{phase}-{_run}";
        var store = new CosmosDocumentStore(_client, _options with { DatabaseName = database });
        await store.InitializeAsync(cancellationToken);
        return new PhaseStore(_scanViaChangeFeed ? new ChangeFeedScanStore(store, _options.ScanPageSize) : store, async () =>
        {
            // The server keeps everything in memory (and a real account would bill for it): drop the phase's data.
            using (await store.Database.DeleteStreamAsync())
            {
            }

            store.Dispose();
        });
    }

    /// <inheritdoc />
    public RequestCharges? Charges() => _meter.Snapshot();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _meter.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string PackageVersion(string folder)
    {
        try
        {
            using var package = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "node_modules", "@vercel", "cosmosdb-server", "package.json")));
            return package.RootElement.GetProperty("version").GetString() ?? "?";
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            return "?";
        }
    }

    private static async Task<string> NodeVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "node.exe" : "node", "--version")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return "?";
            }

            var version = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return version.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
