using System.Text.RegularExpressions;

namespace CustomerValue.LocalServers;

/// <summary>
/// The Cosmos DB NoSQL API server of the tests and of <c>bench stores</c>: <c>tests/emulators/cosmos-server.js</c>
/// (which wraps @vercel/cosmosdb-server, in memory; installed with npm on first use) on 127.0.0.1 with a port the OS
/// picks, over HTTPS with a certificate made for this run. A client of it must use gateway mode, stay on the endpoint
/// (LimitToEndpoint), leave bulk off (the server cannot parse bulk or TransactionalBatch requests) and trust the
/// certificate, e.g. through <see cref="CreateHandler"/>; tests/emulators/README.md says what the server emulates.
/// </summary>
public sealed partial class CosmosApiServer : IAsyncDisposable
{
    /// <summary>Any base64 key does (the server checks no signatures); this is the Cosmos DB emulator's well-known one.</summary>
    public const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU9DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    /// <summary>The script in <c>tests/emulators</c> that runs the server.</summary>
    public const string Script = "cosmos-server.js";

    private readonly NodeServer _server;
    private readonly SelfSignedCertificate _certificate;
    private readonly TempDirectory _scratch;

    private CosmosApiServer(NodeServer server, SelfSignedCertificate certificate, TempDirectory scratch, Uri endpoint, string folder, bool installed)
    {
        _server = server;
        _certificate = certificate;
        _scratch = scratch;
        Endpoint = endpoint;
        Folder = folder;
        PackagesInstalled = installed;
    }

    /// <summary>The endpoint, e.g. https://127.0.0.1:40123/.</summary>
    public Uri Endpoint { get; }

    /// <summary>The folder of the script and its node_modules (<c>tests/emulators</c>).</summary>
    public string Folder { get; }

    /// <summary>True when starting this server ran <c>npm ci</c> (the first start in a checkout, or after the lock file changed).</summary>
    public bool PackagesInstalled { get; }

    /// <summary>The server's self-signed certificate (PEM), for clients configured by settings alone.</summary>
    public string CertificatePath => _certificate.CertificatePath;

    /// <summary>The OS process id of node.</summary>
    public int ProcessId => _server.ProcessId;

    /// <summary>What the server printed (for failure messages).</summary>
    public string Log => _server.Log;

    /// <summary>Installs the packages if needed (saying so on <paramref name="progress"/>), makes a certificate and starts the server.</summary>
    /// <exception cref="LocalServerException">tests/emulators is not found, npm or node failed, or the server did not start.</exception>
    public static async Task<CosmosApiServer> StartAsync(TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        var (folder, installed) = await EmulatorPackages.EnsureInstalledAsync(progress: progress, cancellationToken: cancellationToken);
        var scratch = new TempDirectory();
        SelfSignedCertificate? certificate = null;
        try
        {
            certificate = new SelfSignedCertificate(scratch.Path);
            var (server, listening) = await NodeServer.StartAsync("cosmos-server", folder, Script,
                ["--host", "127.0.0.1", "--port", "0", "--cert", certificate.CertificatePath, "--key", certificate.KeyPath], ListeningLine(), cancellationToken);
            return new CosmosApiServer(server, certificate, scratch, new Uri(listening.Groups["url"].Value), folder, installed);
        }
        catch
        {
            certificate?.Dispose();
            scratch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A handler for the SDK's gateway traffic that trusts this server's certificate only, with keep-alive connections
    /// (up to 64, kept 60 s idle) so that a busy client does not pay a TLS handshake per request.
    /// </summary>
    public SocketsHttpHandler CreateHandler()
    {
        var certificate = _certificate;
        return new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => certificate.Validate(presented) },
        };
    }

    /// <summary>Stops the server and deletes its certificate.</summary>
    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
        _scratch.Dispose();
    }

    [GeneratedRegex(@"listening on (?<url>https://127\.0\.0\.1:\d+/)")]
    private static partial Regex ListeningLine();
}
