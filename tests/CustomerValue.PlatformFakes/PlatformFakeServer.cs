using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CustomerValue.PlatformFakes;

/// <summary>
/// All fake platforms on one loopback port: Google under <c>/google</c> (token endpoint <c>/google/token</c>), Meta under
/// <c>/meta</c>, Klaviyo under <c>/klaviyo</c>, webhook receivers under <c>/hooks/{name}</c>; <c>GET /fakes</c> summarises
/// what each holds. <see cref="Settings"/> gives the destination settings that point at them.
/// </summary>
public sealed class PlatformFakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlatformFakeServer(WebApplication app) => _app = app;

    /// <summary>Where the fakes listen.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Google Data Manager and its token endpoint.</summary>
    public GoogleDataManagerFake Google { get; } = new();

    /// <summary>Meta Graph API.</summary>
    public MetaGraphFake Meta { get; } = new();

    /// <summary>Klaviyo.</summary>
    public KlaviyoFake Klaviyo { get; } = new();

    /// <summary>Standard Webhooks receivers.</summary>
    public WebhookReceiverFake Webhooks { get; } = new();

    /// <summary>Starts the fakes on 127.0.0.1 (port 0: a free one).</summary>
    public static async Task<PlatformFakeServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new PlatformFakeServer(app);
        server.MapAll(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>
    /// Destination settings (<c>Destinations:&lt;name&gt;:…</c>) for a Google, a Meta, a Klaviyo and a webhook destination
    /// pointed at these fakes, each receiving <paramref name="segments"/> (lists named <c>list-&lt;segment&gt;</c>).
    /// </summary>
    public Dictionary<string, string?> Settings(IReadOnlyList<string> segments, string retryDelay = "00:00:00.010", int maxAttempts = 3) =>
        SettingsFor(BaseAddress, segments, retryDelay, maxAttempts);

    /// <summary>
    /// The same settings for fakes listening at <paramref name="baseAddress"/>, e.g. fakes run as their own process
    /// (<c>dotnet run --project tests/CustomerValue.PlatformFakes</c>), so that what they spend is not counted as the caller's.
    /// </summary>
    public static Dictionary<string, string?> SettingsFor(Uri baseAddress, IReadOnlyList<string> segments, string retryDelay = "00:00:00.010", int maxAttempts = 3)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(segments);
        var root = baseAddress.ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>
        {
            ["Destinations:google:Type"] = "google-customer-match",
            ["Destinations:google:BaseUrl"] = root + "/google",
            ["Destinations:google:TokenUrl"] = root + "/google/token",
            ["Destinations:google:ClientId"] = GoogleDataManagerFake.ClientId,
            ["Destinations:google:ClientSecret"] = GoogleDataManagerFake.ClientSecret,
            ["Destinations:google:RefreshToken"] = GoogleDataManagerFake.RefreshToken,
            ["Destinations:google:AccountId"] = GoogleDataManagerFake.AccountId,
            ["Destinations:meta:Type"] = "meta-custom-audience",
            ["Destinations:meta:BaseUrl"] = root + "/meta",
            ["Destinations:meta:ApiVersion"] = "v23.0",
            ["Destinations:meta:AdAccountId"] = MetaGraphFake.AdAccountId,
            ["Destinations:meta:AccessToken"] = MetaGraphFake.AccessToken,
            ["Destinations:meta:LookalikeCountry"] = "US",
            ["Destinations:klaviyo:Type"] = "klaviyo",
            ["Destinations:klaviyo:BaseUrl"] = root + "/klaviyo",
            ["Destinations:klaviyo:ApiKey"] = KlaviyoFake.ApiKey,
            ["Destinations:klaviyo:Revision"] = "2025-10-15",
            ["Destinations:webhook:Type"] = "webhook",
            ["Destinations:webhook:Url"] = root + "/hooks/segments",
            ["Destinations:webhook:Secret"] = WebhookReceiverFake.Secret,
        };
        foreach (var name in new[] { "google", "meta", "klaviyo", "webhook" })
        {
            settings[$"Destinations:{name}:RetryDelay"] = retryDelay;
            settings[$"Destinations:{name}:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture);
            settings[$"Destinations:{name}:Timeout"] = "00:00:05";
            settings[$"Destinations:{name}:DeliveryInterval"] = "00:00:00";
            for (var i = 0; i < segments.Count; i++)
            {
                settings[$"Destinations:{name}:Segments:{i}"] = segments[i];
            }
        }

        foreach (var segment in segments)
        {
            settings[$"Destinations:google:Lists:{segment}"] = "list-" + segment;
            settings[$"Destinations:klaviyo:Lists:{segment}"] = "list-" + segment;
        }

        return settings;
    }

    /// <summary>Stops the fakes.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Maps every fake; called before start.</summary>
    private void MapAll(IEndpointRouteBuilder app)
    {
        Google.Map(app, "/google");
        Meta.Map(app, "/meta");
        Klaviyo.Map(app, "/klaviyo");
        Webhooks.Map(app, "/hooks");
        app.MapGet("/fakes", () => TypedResults.Ok(new
        {
            google = Google.Lists.ToDictionary(l => l.Key, l => l.Value.Count),
            meta = Meta.Audiences.Values.Select(a => new { a.Id, a.Name, a.Subtype, a.ValueBased, members = a.Members.Count, valueTotal = a.Members.Values.Sum(v => v ?? 0) }),
            klaviyo = Klaviyo.Lists.ToDictionary(l => l.Key, l => l.Value.Count),
            webhookEvents = Webhooks.Events.Count,
        }));
        // Every request each platform logged, for a caller in another process (bench fanout checks the uploads' fill).
        app.MapGet("/fakes/requests", () => TypedResults.Ok(new Dictionary<string, IReadOnlyList<LoggedRequest>>
        {
            ["google"] = Google.Requests.All,
            ["meta"] = Meta.Requests.All,
            ["klaviyo"] = Klaviyo.Requests.All,
            ["webhook"] = Webhooks.Requests.All,
        }));
    }
}
