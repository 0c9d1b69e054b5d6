using System.Net;
using System.Text;
using System.Text.Json;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Functions.Tests;

/// <summary><c>POST api/webhooks/{platform}</c> and the read APIs, over HTTP against the real server.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:MaxBodyBytes"] = "20000" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UnknownPlatform_Gets404ListingTheSupportedOnes()
    {
        using var response = await _server.Client.PostAsync("/api/webhooks/magento", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("shopify", body, StringComparison.Ordinal);
        Assert.Contains("woocommerce", body, StringComparison.Ordinal);
        Assert.Contains("events", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bm90IHRoZSByaWdodCBzaWduYXR1cmU=")]
    public async Task UnsignedOrForgedWebhook_Gets401AndIsNotProcessed(string signature)
    {
        using var response = await _server.SendShopifyAsync("orders/create", Fixtures.Read("Webhooks/shopify-orders-create.json"), "wh-forged", signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CountProfilesByEmailAsync("jane.roe@example.com"));
    }

    [Fact]
    public async Task MalformedJson_Gets400NamingTheProblem()
    {
        using var response = await _server.SendShopifyAsync("orders/create", "{\"id\": 1, \"email\": ", "wh-malformed");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OversizedBody_Gets413()
    {
        var body = "{\"padding\":\"" + new string('x', 30_000) + "\"}";

        using var response = await _server.SendShopifyAsync("orders/create", body, "wh-big");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task OrderWebhook_CreatesAProfileFoundByAnySpellingOfTheEmail()
    {
        using var response = await _server.SendShopifyAsync("orders/create", Fixtures.Read("Webhooks/shopify-orders-create.json"), "wh-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await FindByEmailAsync(" Jane.Roe@EXAMPLE.com ");
        Assert.Equal(1, profile.GetProperty("orders").GetInt32());
        Assert.Equal("online", profile.GetProperty("channels")[0].GetString());
        using var byId = await _server.Client.GetAsync("/api/profiles/" + profile.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
    }

    [Fact]
    public async Task RetriedDeliveryAndSameOrderViaAnotherTopic_NeverDoubleCount()
    {
        var order = Fixtures.Read("Webhooks/shopify-orders-create.json");
        using var first = await _server.SendShopifyAsync("orders/create", order, "wh-a");
        var before = await FindByEmailAsync("jane.roe@example.com");

        using var retry = await _server.SendShopifyAsync("orders/create", order, "wh-a");
        using var paid = await _server.SendShopifyAsync("orders/paid", order, "wh-b");

        Assert.Contains("duplicate", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var after = await FindByEmailAsync("jane.roe@example.com");
        Assert.Equal(1, after.GetProperty("orders").GetInt32());
        Assert.Equal(before.GetProperty("netRevenue").GetDecimal(), after.GetProperty("netRevenue").GetDecimal());
    }

    [Fact]
    public async Task RefundUpdate_ThenTheOlderCreateArrivingLate_KeepsTheRefund()
    {
        using var updated = await _server.SendShopifyAsync("orders/updated", Fixtures.Read("Webhooks/shopify-orders-updated-refunded.json"), "wh-u");
        var refunded = await FindByEmailAsync("jane.roe@example.com");

        using var late = await _server.SendShopifyAsync("orders/create", Fixtures.Read("Webhooks/shopify-orders-create.json"), "wh-c");

        var after = await FindByEmailAsync("jane.roe@example.com");
        Assert.True(refunded.GetProperty("refunds").GetDecimal() > 0m);
        Assert.Equal(refunded.GetProperty("refunds").GetDecimal(), after.GetProperty("refunds").GetDecimal());
        Assert.Equal(refunded.GetProperty("netRevenue").GetDecimal(), after.GetProperty("netRevenue").GetDecimal());
    }

    [Fact]
    public async Task ReadApis_AnswerClearErrors()
    {
        using var missing = await _server.Client.GetAsync("/api/profiles/cp-nobody");
        using var noQuery = await _server.Client.GetAsync("/api/profiles");
        using var badEmail = await _server.Client.GetAsync("/api/profiles?email=not-an-address");
        using var segments = await _server.Client.GetAsync("/api/segments");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noQuery.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badEmail.StatusCode);
        using var list = JsonDocument.Parse(await segments.Content.ReadAsStringAsync());
        Assert.Equal(SegmentRegistry.BuiltIn.Select(r => r.Name), list.RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(list.RootElement.EnumerateArray(), s => Assert.Equal(0, s.GetProperty("size").GetInt32()));
    }

    private async Task<JsonElement> FindByEmailAsync(string email)
    {
        using var response = await _server.Client.GetAsync("/api/profiles?email=" + Uri.EscapeDataString(email));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Assert.Single(document.RootElement.EnumerateArray()).Clone();
    }

    private async Task<int> CountProfilesByEmailAsync(string email)
    {
        using var response = await _server.Client.GetAsync("/api/profiles?email=" + Uri.EscapeDataString(email));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetArrayLength();
    }
}
