using CustomerValue.LocalServers;
using CustomerValue.Storage.Azure.Cosmos;
using Microsoft.Azure.Cosmos;

namespace CustomerValue.Storage.Tests.Emulators;

/// <summary>
/// One Cosmos DB NoSQL API server for a test collection (<see cref="CosmosApiServer"/>: <c>tests/emulators/cosmos-server.js</c>
/// on 127.0.0.1 over HTTPS with a certificate made for this run), stopped when the collection ends. Tests get a client
/// configured as any emulator client must be: gateway mode, limited to the endpoint, trusting this certificate, no bulk.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed class CosmosEmulatorFixture : IAsyncLifetime
{
    /// <summary>Any base64 key: the server does not check signatures.</summary>
    public const string Key = CosmosApiServer.Key;

    private CosmosApiServer? _server;
    private CosmosClient? _client;

    /// <summary>The server's endpoint, e.g. https://127.0.0.1:40123/.</summary>
    public Uri Endpoint => Server.Endpoint;

    /// <summary>Lets a test answer requests itself (e.g. with 429) before they reach the server; null passes all.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>The server's self-signed certificate (PEM), for clients configured by settings alone.</summary>
    public string CertificatePath => Server.CertificatePath;

    /// <summary>The client shared by the collection's tests.</summary>
    public CosmosClient Client => _client ?? throw new InvalidOperationException("The emulator is not started.");

    /// <summary>Store options for a database of its own on this server (created on InitializeAsync).</summary>
    public CosmosStoreOptions Options(string databaseName) => new()
    {
        Endpoint = Endpoint,
        Key = Key,
        DatabaseName = databaseName,
        CreateIfMissing = true,
        AllowBulk = false,
        GatewayMode = true,
        LimitToEndpoint = true,
        HttpClientFactory = CreateHttpClient,
        // Keep a test from hanging for half a minute when something throttles for real.
        MaxRetryWaitTimeOnRateLimitedRequests = TimeSpan.FromSeconds(10),
    };

    /// <summary>What the server printed (for failure messages).</summary>
    public string Log => _server?.Log ?? string.Empty;

    private CosmosApiServer Server => _server ?? throw new InvalidOperationException("The emulator is not started.");

    public async Task InitializeAsync()
    {
        _server = await CosmosApiServer.StartAsync();
        _client = CosmosDocumentStore.CreateClient(Options("unused"));
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>An HttpClient for the SDK's gateway traffic: keep-alive, trusts this run's certificate only.</summary>
    public HttpClient CreateHttpClient() =>
        new(new InterceptingHandler(this) { InnerHandler = Server.CreateHandler() }) { Timeout = TimeSpan.FromSeconds(30) };

    private sealed class InterceptingHandler(CosmosEmulatorFixture fixture) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            fixture.Intercept?.Invoke(request) is { } response ? Task.FromResult(response) : base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The tests that share one Cosmos DB emulator (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class CosmosEmulatorCollection : ICollectionFixture<CosmosEmulatorFixture>
{
    public const string Name = "Cosmos DB emulator";
}
