using System.Net;
using System.Text.Json;
using CustomerValue.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CustomerValue.Functions.Tests.Support.EndToEnd;
using static CustomerValue.Functions.Tests.Support.SenderRetries;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// Transient store failures (writes failing before or after they are applied), with every failed call retried as its
/// sender would (a shop re-sends a webhook that was not answered 2xx; the host re-runs a failed timer invocation): the
/// end state equals that of a clean run. Once with the app's per-call retries of transient failures switched off, so
/// that the failures reach the callers, and once as shipped, where they absorb a failure rate that no whole-run retry
/// could get past.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FaultInjectionTests
{
    [Fact]
    public async Task WebhooksAndRecompute_UnderTransientStoreFailures_WithoutPerCallRetries_EndInTheCleanRunsState()
    {
        var deliveries = Workload();
        var noRetries = Secrets();
        noRetries["Store:TransientRetries"] = "0";
        await using var clean = await RunningServer.StartAsync(settings: Secrets());
        await using var faulty = await RunningServer.StartAsync(settings: noRetries, services: s => FaultInjectingStore.Wrap(s, 0.10, seed: 11));
        var faults = faulty.Services.GetRequiredService<FaultInjectingStore>();
        await SendAllAsync(clean, deliveries);
        await RecomputeAsync(clean, retry: false);

        faults.Enabled = true;
        int retries = await SendAllAsync(faulty, deliveries);

        // A recompute is one long operation (a hundred store calls and more) that the host retries as a whole: at 10 %
        // per call no attempt would ever finish without per-call retries, so it runs at 1 %, still failing most attempts part-way.
        faults.Rate = 0.01;
        retries += await RecomputeAsync(faulty, retry: true);
        faults.Enabled = false;

        Assert.True(faults.Injected > 10, $"only {faults.Injected} faults were injected");
        Assert.True(retries > 0);
        await AssertSameProfilesAsync(clean, faulty, deliveries.Select(d => d.Email));
        Assert.Equal(await ProfileCountAsync(clean), await ProfileCountAsync(faulty));
    }

    [Fact]
    public async Task WebhooksAndRecompute_UnderTenPercentStoreFailures_WithPerCallRetries_EndInTheCleanRunsState()
    {
        var deliveries = Workload();
        await using var clean = await RunningServer.StartAsync(settings: Secrets());
        await using var faulty = await RunningServer.StartAsync(settings: Secrets(), services: s => FaultInjectingStore.Wrap(s, 0.10, seed: 17));
        var faults = faulty.Services.GetRequiredService<FaultInjectingStore>();
        await SendAllAsync(clean, deliveries);
        await RecomputeAsync(clean, retry: false);

        faults.Enabled = true;
        await SendAllAsync(faulty, deliveries);
        int before = faults.Injected;
        // Still retried as the host would, but at 10 % per call it now finishes (nearly always at the first attempt).
        int recomputeRetries = await RecomputeAsync(faulty, retry: true);
        faults.Enabled = false;

        // The recompute reads with two scans and writes back only what changed, in sets of 50 on this store: about a dozen
        // calls for thirty customers, so at 10 % only a few faults land on it (two with this seed).
        Assert.True(faults.Injected - before >= 1, $"only {faults.Injected - before} faults were injected into the recompute");
        Assert.True(recomputeRetries <= 1, $"the recompute needed {recomputeRetries} retries of the whole run");
        await AssertSameProfilesAsync(clean, faulty, deliveries.Select(d => d.Email));
        Assert.Equal(await ProfileCountAsync(clean), await ProfileCountAsync(faulty));
    }

    private static async Task<int> SendAllAsync(RunningServer server, List<(string Topic, string Body, string Id, string Email)> deliveries)
    {
        int retries = 0;
        foreach (var (topic, body, id, _) in deliveries)
        {
            retries += await UntilOkAsync(() => server.SendShopifyAsync(topic, body, id), $"delivery {id}", HttpStatusCode.ServiceUnavailable);
        }

        return retries;
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
}
