using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CustomerValue.Functions;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Cli.Demo;

/// <summary>
/// Runs the demo: starts the server in local mode on a fresh data folder, generates the shop, sends its online
/// orders as signed Shopify webhooks to <c>api/webhooks/shopify</c>, drops its store sales as POS exports into the
/// inbox, fires the recompute timer, waits for the change feed to publish the segment changes, and prints what
/// happened.
/// </summary>
public sealed class DemoRunner(DemoOptions options)
{
    private const int Days = 730;
    private const int SendParallelism = 8;

    /// <summary>Runs the pipeline; then serves until cancelled unless <see cref="DemoOptions.Exit"/>.</summary>
    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        ResetDataDir();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // The goal-driven examples of SEGMENTS.md, so the demo shows custom segments with their KPIs and targets.
        var definitions = Path.Combine(options.DataDir, "segments.yaml");
        Directory.CreateDirectory(options.DataDir);
        await File.WriteAllTextAsync(definitions, Segmentation.Custom.CustomSegmentExamples.Yaml, cancellationToken);
        var eventsSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var app = ServerApp.Build(["--urls", options.Urls], options.DataDir, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Shopify:Secret"] = secret,
            ["Segments:DefinitionsPath"] = definitions,
            // The demo always runs on the embedded store and the folder inbox, whatever the environment says.
            ["CosmosDb"] = string.Empty,
            ["CosmosDb:accountEndpoint"] = string.Empty,
            ["PosExportStorage"] = string.Empty,
            ["PosExportStorage:blobServiceUri"] = string.Empty,
            ["LocalMode:Enabled"] = "true",
            // Two years of one shop's orders replayed in seconds: far above any real shop's rate, so above the limiter's.
            ["Webhooks:RateLimit:PermitsPerSecond"] = "1000000",
            ["Webhooks:RateLimit:Burst"] = "1000000",
            ["LocalMode:InboxPollMilliseconds"] = "250",
            ["LocalMode:ChangeFeedPollMilliseconds"] = "100",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:CustomerValue.Functions.LocalMode.RecomputeScheduler"] = "Warning",
            // The dashboard's anti-forgery keys stay in the user's profile unencrypted, as ASP.NET Core warns: fine for a demo.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            ["Webhooks:Events:Secret"] = eventsSecret,
            ["LocalMode:DeliveryPollMilliseconds"] = "500",
        }).AddDestinationsFile(options.DestinationsFile));
        await app.StartAsync(cancellationToken);
        try
        {
            var services = app.Services;
            var settings = services.GetRequiredService<ServerSettings>();
            var baseAddress = services.GetRequiredService<LocalTriggerClient>().BaseAddress;
            var end = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
            output.WriteLine($"Demo shop: {options.Customers:N0} customers over {Days / 365} years (seed {options.Seed}), server at {baseAddress}");

            var people = DemoShopGenerator.Generate(options.Customers, Days, end, options.Seed);
            var random = new Random(options.Seed + 3);
            var deliveries = people.SelectMany(p => ShopifyOrderWebhooks.For(p, random)).OrderBy(d => d.SentAt).ToList();
            var sent = await SendWebhooksAsync(baseAddress, secret, deliveries, cancellationToken);
            output.WriteLine($"  web shop: {deliveries.Count:N0} signed Shopify webhooks sent -> {sent}  [{clock.Elapsed.TotalSeconds:F1}s]");

            var files = PosExportFiles.Write(people, settings.InboxFolder, end, options.Seed);
            await services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(cancellationToken);
            output.WriteLine($"  stores: {files.Count} POS exports dropped into {settings.InboxFolder} and imported  [{clock.Elapsed.TotalSeconds:F1}s]");

            if (options.DestinationsFile is not null)
            {
                var consenting = await DemoActivation.GrantConsentsAsync(baseAddress, eventsSecret, people, options.Seed, end, cancellationToken);
                output.WriteLine($"  consent: {consenting:N0} customers gave ads and e-mail consent (signed consent events)  [{clock.Elapsed.TotalSeconds:F1}s]");
            }

            // As the timer would: the run of the latest scheduled occurrence, whose next one is still ahead.
            var next = services.GetRequiredService<RecomputeSchedule>().NextAfter(DateTimeOffset.UtcNow).UtcDateTime;
            await services.GetRequiredService<RecomputeTrigger>().FireAsync(null, next, cancellationToken);
            await services.GetRequiredService<ChangeFeedPump>().DrainAsync(cancellationToken);
            output.WriteLine($"  recompute fired, segment changes published  [{clock.Elapsed.TotalSeconds:F1}s]");
            output.WriteLine();

            await DemoSummary.PrintAsync(output, services, baseAddress, cancellationToken);
            output.WriteLine();
            await DemoActivation.PrintDestinationsAsync(output, services, app.Configuration["Demo:FakesUrl"], cancellationToken);
            await DemoActivation.PrintGuidanceAsync(output, baseAddress, app.Configuration[LocalApiKey.SettingName], cancellationToken);
            output.WriteLine();
            output.WriteLine($"Pipeline finished in {clock.Elapsed.TotalSeconds:F1}s.");
            output.WriteLine($"Dashboard: {new Uri(baseAddress, "/")}");
            if (options.Exit)
            {
                return 0;
            }

            output.WriteLine($"Serving at {baseAddress} (local mode: drop more CSV files into {settings.InboxFolder}). Press Ctrl-C to stop.");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private void ResetDataDir()
    {
        // Only what the demo itself creates is removed, never a folder that holds anything else.
        Directory.CreateDirectory(options.DataDir);
        foreach (var file in new[] { "customervalue.db", "customervalue.db-wal", "customervalue.db-shm" })
        {
            File.Delete(Path.Combine(options.DataDir, file));
        }

        foreach (var folder in new[] { "pos-exports", "pos-exports-reports", "outbox" })
        {
            var path = Path.Combine(options.DataDir, folder);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private static async Task<string> SendWebhooksAsync(Uri baseAddress, string secret, IReadOnlyList<ShopifyDelivery> deliveries, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = SendParallelism, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = SendParallelism, CancellationToken = cancellationToken }, async (delivery, ct) =>
        {
            var body = Encoding.UTF8.GetBytes(delivery.Body);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add("X-Shopify-Topic", delivery.Topic);
            request.Headers.Add("X-Shopify-Shop-Domain", ShopifyOrderWebhooks.ShopDomain);
            request.Headers.Add("X-Shopify-Hmac-Sha256", WebhookSignatures.SignBody(secret, body));
            request.Headers.Add("X-Shopify-Webhook-Id", delivery.WebhookId);
            request.Headers.Add("X-Shopify-API-Version", "2025-10");
            request.Headers.Add("X-Shopify-Triggered-At", delivery.SentAt.ToString("O", CultureInfo.InvariantCulture));
            var response = await client.SendAsync(request, ct);
            for (var attempt = 0; response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < 10; attempt++)
            {
                // As Shopify does: a refused delivery comes again later, here after the Retry-After the server asked for.
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                response.Dispose();
                await Task.Delay(wait, ct);
                using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new ByteArrayContent(body) };
                retry.Content.Headers.ContentType = request.Content.Headers.ContentType;
                foreach (var header in request.Headers)
                {
                    retry.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                response = await client.SendAsync(retry, ct);
            }

            using var answered = response;
            var status = (int)response.StatusCode;
            if (status == 200)
            {
                var answer = await response.Content.ReadAsStringAsync(ct);
                status = answer.Contains("\"duplicate\"", StringComparison.Ordinal) ? 208 : 200;
            }

            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
        });
        return string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => s.Key switch
        {
            200 => $"{s.Value:N0} accepted",
            208 => $"{s.Value:N0} retries recognised as duplicates",
            _ => $"{s.Value:N0} answered {s.Key}",
        }));
    }
}
