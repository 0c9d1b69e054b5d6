using System.Net;
using CustomerValue.Domain.Profiles;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.DependencyInjection;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary>Concurrent webhook deliveries over HTTP against the real server.</summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(settings: Secrets());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ThirtyTwoConcurrentOrdersOfOneNewCustomer_MakeOneProfileWithThirtyTwoOrders()
    {
        const string email = "rush.buyer@example.com";
        var orders = Enumerable.Range(1, 32).Select(i => ShopifyOrder(100_000 + i, email, total: 10m + i,
            placedAt: new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).AddDays(i)));

        var responses = await Task.WhenAll(orders.Select((body, i) => _server.SendShopifyAsync("orders/create", body, $"wh-rush-{i}")));

        foreach (var response in responses)
        {
            await AssertOkAsync(response);
            response.Dispose();
        }

        var profile = await SingleAsync(_server.Client, "email", email);
        Assert.Equal(32, profile.GetProperty("orders").GetInt32());
        Assert.Equal(Enumerable.Range(1, 32).Sum(i => 10m + i), profile.GetProperty("grossRevenue").GetDecimal());
        Assert.Equal(1, await LiveProfilesHoldingAsync(email));
    }

    [Fact]
    public async Task ThirtyTwoConcurrentOrdersWithCustomerIdAndPhone_MakeOneProfile()
    {
        const string email = "rush.known@example.com";
        var orders = Enumerable.Range(1, 32).Select(i => ShopifyOrder(200_000 + i, email, customerId: 777, phone: "+1 415 555 0190", total: 20m,
            placedAt: new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero).AddHours(i)));

        var responses = await Task.WhenAll(orders.Select((body, i) => _server.SendShopifyAsync("orders/create", body, $"wh-known-{i}")));

        foreach (var response in responses)
        {
            await AssertOkAsync(response);
            response.Dispose();
        }

        var profile = await SingleAsync(_server.Client, "email", email);
        Assert.Equal(32, profile.GetProperty("orders").GetInt32());
        Assert.Equal(profile.GetProperty("id").GetString(), (await SingleAsync(_server.Client, "phone", "+14155550190")).GetProperty("id").GetString());
        Assert.Equal(profile.GetProperty("id").GetString(), (await SingleAsync(_server.Client, "sourceId", "shopify:fixture:777")).GetProperty("id").GetString());
        Assert.Equal(1, await LiveProfilesHoldingAsync(email));
    }

    [Fact]
    public async Task TwentyConcurrentIdenticalDeliveries_CountTheOrderOnce()
    {
        const string email = "retry.storm@example.com";
        var body = ShopifyOrder(300_001, email, customerId: 888, total: 99.90m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _server.SendShopifyAsync("orders/create", body, "wh-storm")));

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        var profile = await SingleAsync(_server.Client, "email", email);
        Assert.Equal(1, profile.GetProperty("orders").GetInt32());
        Assert.Equal(99.90m, profile.GetProperty("netRevenue").GetDecimal());
        Assert.Equal(1, await LiveProfilesHoldingAsync(email));
    }

    private async Task<int> LiveProfilesHoldingAsync(string email)
    {
        var count = 0;
        var store = _server.Services.GetRequiredService<IDocumentStore>();
        await foreach (var document in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            if (!document.Body.IsRedirect && !document.Body.IsErased && document.Body.Emails.Contains(email, StringComparer.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
