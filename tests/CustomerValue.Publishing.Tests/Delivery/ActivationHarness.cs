using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.PlatformFakes;
using CustomerValue.Publishing.Changes;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Publishing.Platforms.Files;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Publishing.Tests.Delivery;

/// <summary>
/// The real publisher and delivery pipeline on an embedded store, wired from configuration as the server wires them,
/// with every destination pointed at the platform fakes on loopback.
/// </summary>
public sealed class ActivationHarness : IAsyncDisposable
{
    /// <summary>The segments every destination receives in these tests.</summary>
    public static readonly IReadOnlyList<string> Segments = [SegmentNames.Top20, SegmentNames.Middle60, SegmentNames.Bottom20];

    private readonly ServiceProvider _services;
    private string? _continuation;

    private ActivationHarness(ResolverHarness p, PlatformFakeServer fakes, ServiceProvider services)
    {
        P = p;
        Fakes = fakes;
        _services = services;
        Recompute = new CustomerValueRecompute(p.Store, p.Clock, NullLogger<CustomerValueRecompute>.Instance);
    }

    public ResolverHarness P { get; }

    public PlatformFakeServer Fakes { get; }

    public CustomerValueRecompute Recompute { get; }

    public SegmentChangePublisher Publisher => _services.GetRequiredService<SegmentChangePublisher>();

    public DeliveryPipeline Pipeline => _services.GetRequiredService<DeliveryPipeline>();

    public string AudienceFolder => Path.Combine(P.Folder, "audiences");

    /// <summary>
    /// Starts the fakes and wires the pipeline; <paramref name="configure"/> may change the settings, and
    /// <paramref name="deliveryStore"/> may wrap the store the delivery pipeline sees (fault injection).
    /// </summary>
    public static async Task<ActivationHarness> StartAsync(
        Action<Dictionary<string, string?>>? configure = null, ICustomSegmentHoldouts? customHoldouts = null, Func<IDocumentStore, IDocumentStore>? deliveryStore = null)
    {
        var p = await ResolverHarness.CreateAsync();
        var fakes = await PlatformFakeServer.StartAsync();
        var settings = fakes.Settings(Segments);
        // The value-based seed is the top tier here: with ten buyers it is the segment whose members are certain.
        settings["Destinations:meta:ValueSeedSegment"] = SegmentNames.Top20;
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(deliveryStore?.Invoke(p.Store) ?? p.Store);
        if (customHoldouts is not null)
        {
            services.AddSingleton(customHoldouts);
        }

        services.AddSingleton<TimeProvider>(p.Clock);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(sp => new SegmentChangePublisher(p.Store, [], p.Clock, NullLogger<SegmentChangePublisher>.Instance, sp.GetRequiredService<AudienceRouting>()));
        services.AddAudienceDestinations(configuration, d => new FolderAudienceFileStore(Path.Combine(p.Folder, "audiences", d.Value("Container") ?? "audiences")));
        return new ActivationHarness(p, fakes, services.BuildServiceProvider());
    }

    /// <summary>Ten buyers c0..c9 worth 10..100 with ads and e-mail consent, valued by <paramref name="runId"/>.</summary>
    public async Task SeedAsync(string runId = "run-20240601T020000Z")
    {
        for (var i = 0; i < 10; i++)
        {
            await P.ApplyKnownAsync(Activity(email: Email(i), order: Order($"o-c{i}", 10m * (i + 1), day: i)) with
            {
                Consents = [new ConsentChange(ConsentChannel.Ads, true, Day0), new ConsentChange(ConsentChannel.Email, true, Day0)],
            });
        }

        await Recompute.RunAsync(runId);
    }

    public static string Email(int i) => $"c{i}@example.com";

    /// <summary>The profiles changed since the last call, as the change-feed trigger hands them over.</summary>
    public async Task<List<CustomerProfile>> NextBatchAsync()
    {
        var page = await P.Store.ReadChangeFeedAsync<CustomerProfile>(ContainerNames.Profiles, _continuation, 1000);
        _continuation = page.Continuation;
        return [.. page.Documents.Select(d => d.Body)];
    }

    /// <summary>Publishes the next change-feed batch.</summary>
    public async Task<PublishResult> PublishAsync() => await Publisher.PublishAsync(await NextBatchAsync());

    /// <summary>A forced delivery round of every destination, by name.</summary>
    public async Task<Dictionary<string, DestinationRun>> DeliverAsync() =>
        (await Pipeline.DeliverAllAsync(force: true)).ToDictionary(r => r.Destination);

    public async Task<CustomerProfile> ByEmailAsync(string email) => await P.ProfileByEmailAsync(email) ?? throw new InvalidOperationException(email);

    /// <summary>The members every platform holds for a segment, as the identifier each platform keys them by.</summary>
    public async Task<(IReadOnlyCollection<string> Google, IReadOnlyCollection<string> Meta, IReadOnlyCollection<string> Klaviyo, List<string> WebhookProfiles)> MembersAsync(string segment)
    {
        await Task.CompletedTask;
        var webhook = Fakes.Webhooks.Events
            .Where(e => e.GetProperty("segment").GetString() == segment)
            .GroupBy(e => e.GetProperty("profileId").GetString()!)
            .Where(g => g.Last().GetProperty("kind").GetString() == "joined")
            .Select(g => g.Key).ToList();
        return (Fakes.Google.Members("list-" + segment),
            (IReadOnlyCollection<string>?)Fakes.Meta.BySegment(segment)?.Members.Keys.ToList() ?? [],
            Fakes.Klaviyo.ListEmails("list-" + segment),
            webhook);
    }

    public void AssertNoFormatErrors()
    {
        Assert.Empty(Fakes.Google.Requests.FormatErrors);
        Assert.Empty(Fakes.Meta.Requests.FormatErrors);
        Assert.Empty(Fakes.Klaviyo.Requests.FormatErrors);
        Assert.Empty(Fakes.Webhooks.Requests.FormatErrors);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fakes.DisposeAsync();
        await P.DisposeAsync();
    }
}
