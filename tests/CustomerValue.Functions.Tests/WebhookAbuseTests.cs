using System.Net;
using System.Net.Http.Headers;
using CustomerValue.Functions.Tests.Support;

namespace CustomerValue.Functions.Tests;

/// <summary>Floods of webhooks: limited per source with 429 and Retry-After, and large unsigned bodies do not pile up in memory.</summary>
/// <remarks>
/// Alone, after the parallel tests: the memory test measures the whole process's managed heap, which other tests'
/// servers would grow meanwhile (it failed once so in a full run, 149 → 187 MB, and passes alone).
/// </remarks>
[Collection(nameof(AllocationSensitive))]
public sealed class WebhookAbuseTests
{
    [Fact]
    public async Task Webhooks_BeyondTheBurstOfOneSource_Answer429WithRetryAfter_OtherSourcesAreNotAffected()
    {
        await using var server = await RunningServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Webhooks:RateLimit:PermitsPerSecond"] = "1",
            ["Webhooks:RateLimit:Burst"] = "2",
        });

        // A first delivery from another shop warms the server up, so the burst below reaches the limiter within
        // milliseconds: sent at once, no token can be refilled between them however slow the machine is.
        using (var warmUp = await server.SendShopifyAsync("orders/create", EndToEnd.ShopifyOrder(90, "w@example.com", 6), "wh-rate-warm", shop: "warm.myshopify.com"))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            server.SendShopifyAsync("orders/create", EndToEnd.ShopifyOrder(100 + i, "a@example.com", 7), $"wh-rate-{i}", shop: "busy.myshopify.com")));
        var statuses = responses.Select(r => r.StatusCode).Order().ToList();
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After of at least a second");
            }

            response.Dispose();
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        using var other = await server.SendShopifyAsync("orders/create", EndToEnd.ShopifyOrder(200, "b@example.com", 8), "wh-rate-other", shop: "quiet.myshopify.com");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    [Trait("Category", "Slow")] // 48 bodies of 5 MB
    public async Task BurstOfLargeUnsignedBodies_IsRefused_AndManagedMemoryReturnsToItsLevel()
    {
        await using var server = await RunningServer.StartAsync();
        var body = new byte[5 * 1024 * 1024 - 1024];
        Array.Fill(body, (byte)'x');
        await SendUnsignedAsync(server, body); // warm-up: the first request allocates the server's lasting structures
        var before = SettledMemory();

        await Parallel.ForEachAsync(Enumerable.Range(0, 48), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (_, _) =>
            Assert.Equal(HttpStatusCode.Unauthorized, await SendUnsignedAsync(server, body)));

        var after = SettledMemory();
        Assert.True(after - before < 32L * 1024 * 1024, $"managed memory grew from {before / 1048576} MB to {after / 1048576} MB");
    }

    private static async Task<HttpStatusCode> SendUnsignedAsync(RunningServer server, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", "flood.myshopify.com");
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Hmac-Sha256", "Zm9yZ2Vk");
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static long SettledMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
