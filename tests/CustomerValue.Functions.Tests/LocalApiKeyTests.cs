using System.Net;
using System.Net.Http.Headers;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests;

/// <summary>A server reachable beyond this machine answers its profile, privacy and invocation routes only with the API key.</summary>
public sealed class LocalApiKeyTests
{
    private const string ApiKey = "local-api-key-for-tests-0123456789";

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    public void Loopback_IsRecognised(string url, bool loopback) => Assert.Equal(loopback, LocalApiKey.IsLoopback(url));

    [Fact]
    public void DefaultAddress_IsLoopback() => Assert.True(LocalApiKey.IsLoopback(ServerSettings.DefaultUrls));

    [Fact]
    public async Task NonLoopbackAddress_WithoutAKey_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunningServer.StartAsync(urls: "http://0.0.0.0:0"));
        Assert.Contains(LocalApiKey.SettingName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonLoopbackAddress_WithAKey_ProtectsReadsPrivacyAndInvocations_NotReadinessOrWebhooks()
    {
        await using var server = await RunningServer.StartAsync(localMode: true, settings: new Dictionary<string, string?> { [LocalApiKey.SettingName] = ApiKey }, urls: "http://0.0.0.0:0");

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, HttpMethod.Get, "/api/segments"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, HttpMethod.Get, "/api/profiles?email=a@example.com"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, HttpMethod.Delete, "/api/profiles/cp-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, HttpMethod.Post, "/ImportPosExport"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, HttpMethod.Get, "/api/segments", "x-functions-key", "wrong-key"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, HttpMethod.Get, "/api/segments", "x-functions-key", ApiKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, HttpMethod.Get, "/api/segments", "Authorization", "Bearer " + ApiKey));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, HttpMethod.Get, ServerApp.ReadinessPath));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, HttpMethod.Get, "/api/dashboard/"));
        using var webhook = await server.SendShopifyAsync("orders/create", EndToEnd.ShopifyOrder(1, "a@example.com", 7), "wh-key-1");
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);

        // The server's own triggers carry the key: a file in the inbox is still imported.
        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "a.csv"), EndToEnd.PosHeader + "T1,2026-01-01T10:00:00Z,sale,10.00,USD,s,C1,,,,,\n");
        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(EndToEnd.Timeout());
        Assert.True(File.Exists(Path.Combine(server.DataDir, "pos-exports-reports", "a.csv.report.json")));
    }

    private static async Task<HttpStatusCode> StatusAsync(RunningServer server, HttpMethod method, string path, string? header = null, string? value = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (header == "Authorization")
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(value!);
        }
        else if (header is not null)
        {
            request.Headers.Add(header, value);
        }

        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }
}
