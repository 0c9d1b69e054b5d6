using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Publishing.Delivery;

namespace CustomerValue.Cli.Demo;

/// <summary>
/// The demo's activation part, with <c>--destinations FILE</c> (e.g. <c>Demo/destinations.fakes.json</c>, which
/// points Google, Meta, Klaviyo and a webhook at the platform fakes): most demo customers give ads and e-mail consent
/// through signed consent events (without consent no ad platform or e-mail tool receives anyone), the delivery
/// pipeline is drained, and what each destination and each fake platform holds is printed. Guidance is printed in
/// every demo.
/// </summary>
internal static class DemoActivation
{
    /// <summary>Share of demo customers who consent to ads and e-mail.</summary>
    public const double ConsentShare = 0.8;

    /// <summary>The source name of the demo's consent events.</summary>
    public const string Source = "demo-crm";

    /// <summary>Adds the <c>--destinations</c> settings file, when one was given, over the demo's own settings.</summary>
    public static IConfigurationBuilder AddDestinationsFile(this IConfigurationBuilder builder, string? path) =>
        path is null ? builder : builder.AddJsonFile(path, optional: false);

    /// <summary>Sends one consent event per consenting person (ads and e-mail granted).</summary>
    public static async Task<int> GrantConsentsAsync(Uri baseAddress, string secret, IReadOnlyList<DemoPerson> people, int seed, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var random = new Random(seed + 7);
        var consenting = people.Where(_ => random.NextDouble() < ConsentShare).ToList();
        using var client = new HttpClient { BaseAddress = baseAddress };
        await Parallel.ForEachAsync(consenting, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (person, ct) =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"consent-{person.Index}");
            var body = Encoding.UTF8.GetBytes(new JsonObject
            {
                ["type"] = "consent",
                ["id"] = id,
                ["occurredAt"] = at.ToString("o", CultureInfo.InvariantCulture),
                ["source"] = Source,
                ["customer"] = new JsonObject { ["email"] = person.Email },
                ["data"] = new JsonObject { ["email"] = true, ["ads"] = true },
            }.ToJsonString());
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/events") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignatures.SignStandardWebhook(secret, id, timestamp, body));
            using var response = await client.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
        return consenting.Count;
    }

    /// <summary>Drains the delivery pipeline and prints each destination's state and what the fakes hold.</summary>
    public static async Task PrintDestinationsAsync(TextWriter output, IServiceProvider services, string? fakesUrl, CancellationToken cancellationToken)
    {
        var pipeline = services.GetRequiredService<DeliveryPipeline>();
        if (pipeline.Destinations.Count == 0)
        {
            return;
        }

        // Rounds until every queue is empty, not waiting for each destination's interval; a round of the local
        // delivery timer running at the same moment makes this one stop (its ETag check), so it is simply repeated.
        for (var round = 0; round < 100; round++)
        {
            try
            {
                if ((await pipeline.DeliverAllAsync(force: true, cancellationToken)).All(r => r.Outcome is "idle" or "failed"))
                {
                    break;
                }
            }
            catch (CustomerValue.Storage.Documents.DocumentPreconditionFailedException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        output.WriteLine("Destinations:");
        foreach (var d in await pipeline.StatusAsync(cancellationToken))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {d.Name,-10} {d.Type,-22} delivered {d.Delivered,7:N0}  pending {d.Pending,5:N0}  dead-lettered {d.DeadLettered,4:N0}  {(d.LastError is null ? "" : "last error: " + d.LastError)}"));
        }

        if (fakesUrl is null)
        {
            return;
        }

        using var client = new HttpClient();
        string text;
        try
        {
            text = await client.GetStringAsync(new Uri(fakesUrl), cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            output.WriteLine($"  the platform fakes at {fakesUrl} did not answer ({ex.Message}): start them with dotnet run --project tests/CustomerValue.PlatformFakes");
            return;
        }

        using var summary = JsonDocument.Parse(text);
        var root = summary.RootElement;
        output.WriteLine($"  Google Customer Match lists (hashed identifiers): {Pairs(root.GetProperty("google"))}");
        foreach (var audience in root.GetProperty("meta").EnumerateArray())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Meta audience {audience.GetProperty("name").GetString()} ({audience.GetProperty("subtype").GetString()}{(audience.GetProperty("valueBased").GetBoolean() ? ", value-based seed" : "")}): {audience.GetProperty("members").GetInt32():N0} members{(audience.GetProperty("valueBased").GetBoolean() ? string.Create(CultureInfo.InvariantCulture, $", total value {audience.GetProperty("valueTotal").GetDecimal():N2}") : "")}"));
        }

        output.WriteLine($"  Klaviyo lists (profiles): {Pairs(root.GetProperty("klaviyo"))}");
        output.WriteLine($"  Webhook events received: {root.GetProperty("webhookEvents").GetInt32():N0}");
    }

    /// <summary>Prints <c>GET api/guidance</c>.</summary>
    public static async Task PrintGuidanceAsync(TextWriter output, Uri baseAddress, string? apiKey, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", apiKey);
        }

        using var response = await client.GetAsync(new Uri("/api/guidance", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        using var guidance = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        output.WriteLine("Bid and budget guidance (GET api/guidance):");
        foreach (var s in guidance.RootElement.GetProperty("segments").EnumerateArray())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {s.GetProperty("segment").GetString(),-20} max cost per member {s.GetProperty("maxCostPerMember").GetDecimal(),8:N2}  bid {s.GetProperty("bidAdjustment").GetDouble(),6:+0%;-0%;0%}  {s.GetProperty("advice").GetString()}"));
        }

        foreach (var c in guidance.RootElement.GetProperty("channels").EnumerateArray())
        {
            output.WriteLine($"  channel {c.GetProperty("channel").GetString(),-20} {c.GetProperty("verdict").GetString(),-8} {c.GetProperty("advice").GetString()}");
        }
    }

    private static string Pairs(JsonElement map) =>
        string.Join(", ", map.EnumerateObject().Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Value.GetInt32():N0}")));
}
