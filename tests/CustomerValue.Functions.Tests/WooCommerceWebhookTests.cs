using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CustomerValue.Functions.Tests.Support;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary><c>POST api/webhooks/woocommerce</c> over HTTP against the real server.</summary>
public sealed class WooCommerceWebhookTests : IAsyncLifetime
{
    private const string Email = "erika.mustermann@example.org";
    private const string OrderKey = "woocommerce:shop.example.org:order:727";
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(settings: Secrets());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Created => Fixtures.Read("Webhooks/woocommerce-order-created.json");

    private static string UpdatedWithRefunds => Fixtures.Read("Webhooks/woocommerce-order-updated-refunded.json");

    [Fact]
    public async Task UnsignedPing_Gets200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce") { Content = new StringContent("webhook_id=12", Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ping", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedOrder_Gets401()
    {
        using var response = await SendWooAsync(_server.Client, "order.created", Created, "d-forged", secret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await FindAsync(_server.Client, "email", Email));
    }

    [Fact]
    public async Task CreatedThenUpdatedWithRefunds_CountsTheRefundsOnce()
    {
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created, "d-1"));
        var created = await SingleAsync(_server.Client, "email", Email);
        Assert.Equal(0m, created.GetProperty("refunds").GetDecimal());

        await AssertOkAsync(await SendWooAsync(_server.Client, "order.updated", UpdatedWithRefunds, "d-2"));
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.updated", UpdatedWithRefunds, "d-3"));
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created, "d-4"));

        var profile = await SingleAsync(_server.Client, "email", Email);
        Assert.Equal(1, profile.GetProperty("orders").GetInt32());
        Assert.Equal(12.50m, profile.GetProperty("refunds").GetDecimal());
        Assert.Equal(49.95m - 12.50m, profile.GetProperty("netRevenue").GetDecimal());
        Assert.Equal(["woocommerce:shop.example.org:31"], Strings(profile, "sourceCustomerIds"));
    }

    [Fact]
    public async Task OrderDeleted_RemovesTheOrderFromTheProfile_AndARepeatChangesNothing()
    {
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created, "d-1"));
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created.Replace("\"id\": 727,", "\"id\": 728,", StringComparison.Ordinal), "d-2"));
        var id = (await SingleAsync(_server.Client, "email", Email)).GetProperty("id").GetString()!;

        await AssertOkAsync(await SendWooAsync(_server.Client, "order.deleted", """{"id":727}""", "d-del-1"));
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.deleted", """{"id":727}""", "d-del-2"));

        var profile = await SingleAsync(_server.Client, "email", Email);
        Assert.Equal(id, profile.GetProperty("id").GetString());
        Assert.Equal(1, profile.GetProperty("orders").GetInt32());
        using var orders = System.Text.Json.JsonDocument.Parse(await _server.Client.GetStringAsync($"/api/profiles/{id}/orders"));
        Assert.Equal(["woocommerce:shop.example.org:order:728"], orders.RootElement.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderKey").GetString()));
        var export = await ExportAsync(_server.Client, id);
        Assert.DoesNotContain(OrderKey, export.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameDeliveryIdWithDifferentBodies_AreBothProcessed()
    {
        // WooCommerce's delivery id is a hash of the webhook id and the current second: two orders in one second share it.
        await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created, "d-same"));
        var second = await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created.Replace("\"id\": 727,", "\"id\": 728,", StringComparison.Ordinal), "d-same"));
        var retry = await AssertOkAsync(await SendWooAsync(_server.Client, "order.created", Created, "d-same"));

        Assert.Contains("accepted", second, StringComparison.Ordinal);
        Assert.Contains("duplicate", retry, StringComparison.Ordinal);
        var profile = await SingleAsync(_server.Client, "email", Email);
        Assert.Equal(2, profile.GetProperty("orders").GetInt32());
    }
}
