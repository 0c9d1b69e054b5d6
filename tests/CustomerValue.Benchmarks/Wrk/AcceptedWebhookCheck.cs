using System.Text;
using System.Text.Json;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>
/// Checks that answered webhooks really reached the profiles: for a sample of the order webhooks a run certainly got
/// answers for, the customer is looked up by e-mail (<c>GET api/profiles?email=</c>) and the order must be among its
/// orders (<c>GET api/profiles/{id}/orders</c>). Failures name the order id only, never the address.
/// </summary>
internal static class AcceptedWebhookCheck
{
    private static readonly string[] OrderTopics = ["orders/create", "orders/paid"];

    /// <summary>Checks up to <paramref name="sample"/> orders; returns how many were checked and what is missing.</summary>
    public static async Task<(int Checked, IReadOnlyList<string> Missing)> RunAsync(
        HttpClient client, IReadOnlyList<(WrkRequestFiles Requests, WrkResult Result)> runs, int sample, int seed, CancellationToken cancellationToken)
    {
        var candidates = runs.SelectMany(run => Answered(run.Requests, run.Result))
            .Where(a => OrderTopics.Contains(a.Webhook.Headers.First(h => h.Key == "X-Shopify-Topic").Value, StringComparer.Ordinal))
            .DistinctBy(a => a.Webhook)
            .ToList();
        var chosen = candidates.ToArray();
        new Random(seed).Shuffle(chosen);
        var missing = new List<string>();
        var count = 0;
        foreach (var (webhook, where) in chosen.Take(sample))
        {
            using var order = JsonDocument.Parse(webhook.Body);
            var orderId = order.RootElement.GetProperty("id").GetInt64();
            if (order.RootElement.GetProperty("email").GetString() is not { Length: > 0 } email)
            {
                continue;
            }

            count++;
            if (await FindOrderAsync(client, email, orderId, cancellationToken) is { } problem)
            {
                missing.Add($"order {orderId} ({where}): {problem}");
            }
        }

        return (count, missing);
    }

    /// <summary>
    /// The webhooks a run's threads certainly got answers for: the first half of each thread's requests. A request still
    /// unanswered when wrk stops is dropped with its connection (and rightly not applied, or applied without an answer),
    /// and one slow request can be overtaken by many on the thread's other connections, so "all but the last few" is not
    /// enough; the first half were sent long before the end, by more than any latency of a run without timeouts.
    /// </summary>
    private static IEnumerable<(SignedWebhook Webhook, string Where)> Answered(WrkRequestFiles requests, WrkResult result)
    {
        foreach (var thread in result.Threads)
        {
            for (long k = 0; k < thread.Sent / 2; k++)
            {
                yield return (requests.Sent(thread.Thread, k), $"{Path.GetFileName(requests.Prefix)} run, thread {thread.Thread}, request {k + 1} of {thread.Sent}");
            }
        }
    }

    private static async Task<string?> FindOrderAsync(HttpClient client, string email, long orderId, CancellationToken cancellationToken)
    {
        using var found = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/profiles?email={Uri.EscapeDataString(email)}", UriKind.Relative), cancellationToken));
        if (found.RootElement.GetArrayLength() == 0)
        {
            return "no profile has the customer's e-mail";
        }

        var profileId = found.RootElement[0].GetProperty("id").GetString()!;
        string? continuation = null;
        do
        {
            var page = new StringBuilder($"/api/profiles/{Uri.EscapeDataString(profileId)}/orders?limit=1000");
            if (continuation is not null)
            {
                page.Append("&continuation=").Append(Uri.EscapeDataString(continuation));
            }

            using var orders = JsonDocument.Parse(await client.GetStringAsync(new Uri(page.ToString(), UriKind.Relative), cancellationToken));
            if (orders.RootElement.GetProperty("orders").EnumerateArray().Any(o => o.GetProperty("orderKey").GetString()!.EndsWith($":order:{orderId}", StringComparison.Ordinal)))
            {
                return null;
            }

            continuation = orders.RootElement.TryGetProperty("continuation", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (continuation is not null);
        return "not among the orders of the customer's profile";
    }
}
