using System.Net;
using System.Text.Json;
using CustomerValue.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// Transient store failures (10 % of calls during webhooks, 1 % during a recompute; writes failing before or after
/// they are applied), with every failed call retried as its sender would (a shop re-sends a webhook that was not answered 2xx;
/// the host re-runs a failed timer invocation): the end state equals that of a clean run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FaultInjectionTests
{
    private const int MaxAttempts = 40;

    [Fact]
    public async Task WebhooksAndRecompute_UnderTransientStoreFailures_EndInTheCleanRunsState()
    {
        var deliveries = Workload();
        await using var clean = await RunningServer.StartAsync(settings: Secrets());
        await using var faulty = await RunningServer.StartAsync(settings: Secrets(), services: s => FaultInjectingStore.Wrap(s, 0.10, seed: 11));
        var faults = faulty.Services.GetRequiredService<FaultInjectingStore>();

        foreach (var (topic, body, id, _) in deliveries)
        {
            using var response = await clean.SendShopifyAsync(topic, body, id);
            await AssertOkAsync(response);
        }

        await RecomputeAsync(clean, retry: false);

        faults.Enabled = true;
        int retries = 0;
        foreach (var (topic, body, id, _) in deliveries)
        {
            retries += await UntilOkAsync(() => faulty.SendShopifyAsync(topic, body, id), $"delivery {id}", HttpStatusCode.ServiceUnavailable);
        }

        // A recompute is one long operation (a hundred store calls and more) that the host retries as a whole: at 10 %
        // per call no attempt would ever finish, so it runs at 1 %, still failing most attempts part-way.
        faults.Rate = 0.01;
        retries += await RecomputeAsync(faulty, retry: true);
        faults.Enabled = false;

        Assert.True(faults.Injected > 10, $"only {faults.Injected} faults were injected");
        Assert.True(retries > 0);
        foreach (string email in deliveries.Select(d => d.Email).Distinct())
        {
            var expected = await SingleAsync(clean.Client, "email", email);
            var actual = await SingleAsync(faulty.Client, "email", email);
            foreach (string field in new[] { "orders", "grossRevenue", "refunds", "netRevenue" })
            {
                Assert.True(expected.GetProperty(field).ToString() == actual.GetProperty(field).ToString(), $"{email} {field}: clean {expected.GetProperty(field)}, faulty {actual.GetProperty(field)}");
            }

            Assert.Equal(Segments(expected), Segments(actual));
        }

        Assert.Equal(await ProfileCountAsync(clean), await ProfileCountAsync(faulty));
    }

    /// <summary>Thirty customers, one to four orders each, some refunded later, two customers seen under two e-mails.</summary>
    private static List<(string Topic, string Body, string Id, string Email)> Workload()
    {
        var random = new Random(5);
        var deliveries = new List<(string, string, string, string)>();
        var start = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        long orderId = 900_000;
        for (int c = 0; c < 30; c++)
        {
            string email = $"fault.buyer{c}@example.com";
            long? customerId = c < 4 ? 5_000 + (c / 2) : null; // customers 0/1 and 2/3 are one person each
            for (int o = 0; o < 1 + random.Next(4); o++)
            {
                orderId++;
                var placed = start.AddDays(random.Next(300));
                decimal total = 10m + random.Next(20_000) / 100m;
                deliveries.Add(("orders/create", ShopifyOrder(orderId, email, customerId, total: total, placedAt: placed), $"wh-{orderId}-create", email));
                if (random.Next(5) == 0)
                {
                    deliveries.Add(("orders/updated", ShopifyRefundedOrder(orderId, email, customerId, total, placed), $"wh-{orderId}-refund", email));
                }
            }
        }

        return deliveries;
    }

    private static string ShopifyRefundedOrder(long orderId, string email, long? customerId, decimal total, DateTimeOffset placed)
    {
        var order = System.Text.Json.Nodes.JsonNode.Parse(ShopifyOrder(orderId, email, customerId, total: total, placedAt: placed, updatedAt: placed.AddDays(3)))!;
        order["refunds"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = orderId * 10,
            ["created_at"] = placed.AddDays(3).ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            ["transactions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["kind"] = "refund",
                ["status"] = "success",
                ["amount"] = "5.00",
            }),
        });
        return order.ToJsonString();
    }

    private static async Task<int> RecomputeAsync(RunningServer server, bool retry)
    {
        string timer = Fixtures.Read("Host/timer.json");
        if (retry)
        {
            // A failed invocation is answered 500 with its InvocationResult, which makes the host retry it.
            return await UntilOkAsync(() => server.InvokeAsync("RecomputeCustomerValue", timer), "recompute", HttpStatusCode.InternalServerError);
        }

        using var response = await server.InvokeAsync("RecomputeCustomerValue", timer);
        await AssertOkAsync(response);
        return 0;
    }

    /// <summary>
    /// Sends until 2xx, as the sender would; every failure must be <paramref name="failure"/> (a 4xx would be a wrong
    /// answer to a correct request; a webhook's 503 must say when to retry). Returns the retries.
    /// </summary>
    private static async Task<int> UntilOkAsync(Func<Task<HttpResponseMessage>> send, string what, HttpStatusCode failure)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            using var response = await send();
            if (response.IsSuccessStatusCode)
            {
                return attempt;
            }

            Assert.True(response.StatusCode == failure, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.True(failure != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is not null, $"{what}: 503 without Retry-After");
        }

        Assert.Fail($"{what} failed {MaxAttempts} times");
        return MaxAttempts;
    }

    private static string[] Segments(JsonElement profile) =>
        profile.TryGetProperty("segments", out var segments) ? [.. segments.EnumerateArray().Select(s => s.GetString()!).Order()] : [];

    private static async Task<int> ProfileCountAsync(RunningServer server)
    {
        using var response = await server.Client.GetAsync("/api/segments");
        var sizes = JsonDocument.Parse(await AssertOkAsync(response)).RootElement;
        return sizes.EnumerateArray().Sum(s => s.GetProperty("size").GetInt32());
    }
}
