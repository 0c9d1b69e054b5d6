using System.Net.Http.Headers;
using System.Text;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Ingestion.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests.Support;

/// <summary>The real handler server on 127.0.0.1 with a free port and a temporary data folder.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    /// <summary>The Shopify secret every test server is configured with.</summary>
    public const string ShopifySecret = "test-shopify-secret";

    private readonly WebApplication _app;

    private RunningServer(WebApplication app, string dataDir, Uri baseAddress)
    {
        _app = app;
        DataDir = dataDir;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    /// <summary>An HTTP client aimed at the server.</summary>
    public HttpClient Client { get; }

    /// <summary>The server's data folder.</summary>
    public string DataDir { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; local mode (self-driven triggers) only when asked.</summary>
    public static async Task<RunningServer> StartAsync(
        bool localMode = false, IDictionary<string, string?>? settings = null, string urls = "http://127.0.0.1:0", Action<IServiceCollection>? services = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "cv-tests-" + Guid.NewGuid().ToString("N"));
        var app = ServerApp.Build(["--urls", urls], dataDir, builder =>
        {
            var values = new Dictionary<string, string?>
            {
                ["Webhooks:Shopify:Secret"] = ShopifySecret,
                ["LocalMode:Enabled"] = localMode ? "true" : "false",
                ["LocalMode:InboxPollMilliseconds"] = "100",
                ["LocalMode:ChangeFeedPollMilliseconds"] = "50",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
        }, services);
        await app.StartAsync();
        var baseAddress = app.Services.GetRequiredService<LocalTriggerClient>().BaseAddress;
        return new RunningServer(app, dataDir, baseAddress);
    }

    /// <summary>POSTs a host-shaped invocation body to <c>/{functionName}</c>.</summary>
    public Task<HttpResponseMessage> InvokeAsync(string functionName, string body) =>
        Client.PostAsync("/" + functionName, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>POSTs a Shopify webhook signed with <see cref="ShopifySecret"/> (or with <paramref name="signature"/>).</summary>
    public Task<HttpResponseMessage> SendShopifyAsync(string topic, string body, string webhookId, string? signature = null, string shop = "fixture.myshopify.com")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
        request.Headers.Add("X-Shopify-API-Version", "2025-10");
        if (signature != string.Empty)
        {
            request.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? WebhookSignatures.SignBody(ShopifySecret, bytes));
        }

        return Client.SendAsync(request);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool is cleaned up by the OS temp cleaner.
        }
    }
}
