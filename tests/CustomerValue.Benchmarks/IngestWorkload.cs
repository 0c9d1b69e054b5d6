using System.Globalization;
using System.Text;
using CustomerValue.Cli.Demo;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Benchmarks;

/// <summary>One pre-built, signed Shopify webhook: what a sender posts, ready to go.</summary>
/// <param name="Body">The UTF-8 body.</param>
/// <param name="Headers">The Shopify headers, signature included.</param>
public sealed record SignedWebhook(byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// The benchmark's traffic: the demo shop's online orders (orders/create, orders/paid, refunds, cancellations, about
/// 5 % retried deliveries) for a few thousand customers, in the order Shopify would send them, signed up front so
/// that signing costs nothing while measuring.
/// </summary>
public sealed class IngestWorkload
{
    private const int Days = 730;

    private IngestWorkload(IReadOnlyList<SignedWebhook> warmup, IReadOnlyList<SignedWebhook> measured, int customers, IReadOnlyDictionary<string, int> topics, int retries)
    {
        Warmup = warmup;
        Measured = measured;
        Customers = customers;
        Topics = topics;
        Retries = retries;
    }

    /// <summary>Sent before measuring.</summary>
    public IReadOnlyList<SignedWebhook> Warmup { get; }

    /// <summary>Sent while measuring.</summary>
    public IReadOnlyList<SignedWebhook> Measured { get; }

    /// <summary>Customers generated (may exceed the requested number when they placed too few orders).</summary>
    public int Customers { get; }

    /// <summary>Measured webhooks per topic.</summary>
    public IReadOnlyDictionary<string, int> Topics { get; }

    /// <summary>Measured webhooks that repeat an earlier delivery exactly (Shopify retries).</summary>
    public int Retries { get; }

    /// <summary>Generates and signs the traffic.</summary>
    public static IngestWorkload Create(IngestBenchmarkOptions options, string secret)
    {
        ArgumentNullException.ThrowIfNull(options);
        var needed = options.Warmup + options.Webhooks;
        var customers = options.Customers;
        var end = new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);
        while (true)
        {
            var people = DemoShopGenerator.Generate(customers, Days, end, options.Seed);
            var random = new Random(options.Seed + 3);
            var deliveries = people.SelectMany(p => ShopifyOrderWebhooks.For(p, random)).OrderBy(d => d.SentAt).ToList();
            if (deliveries.Count >= needed)
            {
                // Keep the time order: the warm-up is the shop's earliest traffic, the measured part follows it.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var signed = deliveries.Take(needed).Select(d => Sign(d, secret)).ToList();
                var measured = deliveries.Skip(options.Warmup).Take(options.Webhooks).ToList();
                foreach (var d in deliveries.Take(options.Warmup))
                {
                    seen.Add(d.WebhookId);
                }

                var retries = measured.Count(d => !seen.Add(d.WebhookId));
                var topics = measured.GroupBy(d => d.Topic).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                return new IngestWorkload(signed.Take(options.Warmup).ToList(), signed.Skip(options.Warmup).ToList(), customers, topics, retries);
            }

            // Too few orders for the requested count: grow the shop rather than repeat deliveries.
            customers = (int)Math.Ceiling(customers * 1.2 * needed / Math.Max(1, deliveries.Count));
        }
    }

    private static SignedWebhook Sign(ShopifyDelivery delivery, string secret)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        return new SignedWebhook(body,
        [
            KeyValuePair.Create("X-Shopify-Topic", delivery.Topic),
            KeyValuePair.Create("X-Shopify-Shop-Domain", ShopifyOrderWebhooks.ShopDomain),
            KeyValuePair.Create("X-Shopify-Hmac-Sha256", WebhookSignatures.SignBody(secret, body)),
            KeyValuePair.Create("X-Shopify-Webhook-Id", delivery.WebhookId),
            KeyValuePair.Create("X-Shopify-API-Version", "2025-10"),
            KeyValuePair.Create("X-Shopify-Triggered-At", delivery.SentAt.ToString("O", CultureInfo.InvariantCulture)),
        ]);
    }
}
