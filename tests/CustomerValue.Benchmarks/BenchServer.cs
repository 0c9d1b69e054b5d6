using CustomerValue.Functions.LocalMode;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;

using CustomerValue.Functions;
using CustomerValue.Functions.Configuration;

namespace CustomerValue.Benchmarks;

/// <summary>
/// The real server on a loopback port chosen by the OS, with a fresh embedded store, a Shopify secret, local mode off
/// (no change-feed pump or scheduler competing for the store) and warnings-only logging.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app)
    {
        _app = app;
        Store = app.Services.GetRequiredKeyedService<IDocumentStore>(ServiceRegistration.StoreBackendKey) as SqliteDocumentStore
            ?? throw new InvalidOperationException("The benchmark measures the embedded store, but the server is configured with another one.");
        BaseAddress = app.Services.GetRequiredService<LocalTriggerClient>().BaseAddress;
    }

    public SqliteDocumentStore Store { get; }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<BenchServer> StartAsync(string dataDir, string secret, CancellationToken cancellationToken)
    {
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }

        Directory.CreateDirectory(dataDir);
        var app = ServerApp.Build(["--urls", "http://127.0.0.1:0"], dataDir, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Shopify:Secret"] = secret,
            ["LocalMode:Enabled"] = "false",
            ["Identity:DefaultRegion"] = "US",
            // One synthetic shop sends thousands a second: the benchmark measures ingestion, not the per-shop limiter.
            ["Webhooks:RateLimit:PermitsPerSecond"] = "1000000",
            ["Webhooks:RateLimit:Burst"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        }));
        await app.StartAsync(cancellationToken);
        return new BenchServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
