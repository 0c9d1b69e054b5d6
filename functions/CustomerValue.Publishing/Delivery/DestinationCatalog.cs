using System.Globalization;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Publishing.Holdouts;
using CustomerValue.Publishing.Platforms.Files;
using CustomerValue.Publishing.Platforms.Google;
using CustomerValue.Publishing.Platforms.Klaviyo;
using CustomerValue.Publishing.Platforms.Meta;
using CustomerValue.Publishing.Platforms.Webhooks;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// Destinations from configuration: <c>Destinations:&lt;name&gt;:…</c> (environment variables
/// <c>Destinations__&lt;name&gt;__Type</c>, lists <c>Segments__0</c>, <c>Segments__1</c>, …), each with its <c>Type</c>,
/// <c>Segments</c>, <c>MaxAttempts</c>, <c>DeliveryInterval</c> and its kind's own settings; holdouts from
/// <c>Segments:&lt;segment&gt;:HoldoutShare</c>. Shared by the server, the benchmarks and the tests.
/// </summary>
public static class DestinationCatalog
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Destinations";

    /// <summary>
    /// Registers the routing, each destination with its HTTP client, and the delivery pipeline. A destination whose
    /// settings are incomplete fails when it is first resolved (at start-up), naming the missing setting.
    /// </summary>
    public static IReadOnlyList<DestinationSettings> AddAudienceDestinations(this IServiceCollection services, IConfiguration configuration, Func<DestinationSettings, IAudienceFileStore> fileStores)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(fileStores);
        var destinations = Read(configuration);
        var holdouts = Holdouts(configuration);
        services.AddSingleton(sp => new AudienceRouting(destinations, holdouts) { CustomHoldouts = sp.GetService<ICustomSegmentHoldouts>() });
        foreach (var destination in destinations)
        {
            services.AddDestinationHttpClient(destination);
            services.AddSingleton<IAudienceDestination>(sp => Create(destination, sp, fileStores));
        }

        services.AddSingleton<DeliveryPipeline>();
        return destinations;
    }

    /// <summary>Reads every destination under <c>Destinations</c>.</summary>
    /// <exception cref="InvalidOperationException">A destination has no or an unknown <c>Type</c>, or a bad number.</exception>
    public static IReadOnlyList<DestinationSettings> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var result = new List<DestinationSettings>();
        foreach (var section in configuration.GetSection(Section).GetChildren())
        {
            var type = section["Type"];
            if (string.IsNullOrWhiteSpace(type) || !DestinationKinds.All.Contains(type, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"{Section}:{section.Key}:Type must be one of {string.Join(", ", DestinationKinds.All)}, not '{type}'.");
            }

            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
            {
                // An unresolved Key Vault reference counts as not set, as for the webhook secrets.
                if (value is not null && !value.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
                {
                    values[key] = value;
                }
            }

            result.Add(new DestinationSettings
            {
                Name = section.Key,
                Type = type,
                Segments = [.. section.GetSection("Segments").GetChildren().Select(c => c.Value).OfType<string>().Where(s => s.Length > 0)],
                MaxAttempts = Parse(section, "MaxAttempts", int.Parse, DestinationSettings.DefaultMaxAttempts),
                DeliveryInterval = Parse(section, "DeliveryInterval", (s, c) => TimeSpan.Parse(s, c), TimeSpan.FromMinutes(1)),
                Values = values,
            });
        }

        return result;
    }

    /// <summary>The holdout share of every segment that has one (<c>Segments:&lt;segment&gt;:HoldoutShare</c>).</summary>
    public static HoldoutPolicy Holdouts(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var segment in configuration.GetSection("Segments").GetChildren())
        {
            if (segment["HoldoutShare"] is { Length: > 0 } text)
            {
                shares[segment.Key] = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share)
                    ? share
                    : throw new InvalidOperationException($"Segments:{segment.Key}:HoldoutShare must be a number such as 0.05, not '{text}'.");
            }
        }

        return new HoldoutPolicy(shares);
    }

    private static IAudienceDestination Create(DestinationSettings destination, IServiceProvider services, Func<DestinationSettings, IAudienceFileStore> fileStores)
    {
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(DestinationHttp.ClientName(destination));
        var clock = services.GetRequiredService<TimeProvider>();
        return destination.Type switch
        {
            // The signature carries the real sending time: receivers refuse timestamps more than minutes away from theirs.
            DestinationKinds.Webhook => new SignedWebhookDestination(destination, http, TimeProvider.System),
            DestinationKinds.BlobFile => new AudienceFileDestination(destination, fileStores(destination)),
            DestinationKinds.GoogleCustomerMatch => new GoogleCustomerMatchDestination(destination, http, clock),
            DestinationKinds.MetaCustomAudience => new MetaCustomAudienceDestination(destination, http, services.GetRequiredService<IDocumentStore>()),
            DestinationKinds.Klaviyo => new KlaviyoDestination(destination, http),
            _ => throw new InvalidOperationException($"Unknown destination type '{destination.Type}'."),
        };
    }

    private static T Parse<T>(IConfigurationSection section, string key, Func<string, IFormatProvider, T> parse, T fallback)
    {
        if (section[key] is not { Length: > 0 } text)
        {
            return fallback;
        }

        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{Section}:{section.Key}:{key} has a value that cannot be read: '{text}'.");
        }
    }
}
