using System.Globalization;
using System.Threading.RateLimiting;
using CustomerValue.Publishing.Destinations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// The HTTP client of each destination, one named client per destination, with a resilience pipeline from
/// Microsoft.Extensions.Http.Resilience (Polly): retries of transient failures (5xx, 408, 429, timeouts, connection
/// errors) with exponential back-off and jitter that wait as long as a <c>Retry-After</c> header asks; a timeout per
/// attempt; and, when <c>RequestsPerSecond</c> is set, a token bucket so the destination's rate limit is never hit.
/// Optional settings beside the documented ones: <c>HttpRetries</c> (3), <c>RetryDelay</c> (00:00:01),
/// <c>Timeout</c> (00:00:30 per attempt), <c>RequestsPerSecond</c> (none).
/// </summary>
public static class DestinationHttp
{
    /// <summary>The named client of a destination.</summary>
    public static string ClientName(DestinationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return "destination:" + settings.Name;
    }

    /// <summary>The first retry's delay.</summary>
    public static TimeSpan RetryDelay(DestinationSettings settings) => Duration(settings, "RetryDelay", TimeSpan.FromSeconds(1));

    /// <summary>Registers the destination's client and its resilience pipeline.</summary>
    public static IHttpClientBuilder AddDestinationHttpClient(this IServiceCollection services, DestinationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The pipeline's timeouts govern; HttpClient's own would cut across the retries.
        var builder = services.AddHttpClient(ClientName(settings), c => c.Timeout = Timeout.InfiniteTimeSpan);
        var requestsPerSecond = settings.Number("RequestsPerSecond", 0);
        var retries = (int)settings.Number("HttpRetries", 3);
        builder.AddResilienceHandler("delivery", pipeline =>
        {
            pipeline.AddTimeout(TimeSpan.FromMinutes(5));
            if (retries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = RetryDelay(settings),
                    MaxDelay = TimeSpan.FromMinutes(1),
                    ShouldRetryAfterHeader = true,
                });
            }

            if (requestsPerSecond > 0)
            {
                // Inside the retries: every attempt takes a token. Requests over the rate wait rather than fail.
                var perSecond = Math.Max(1, (int)Math.Ceiling(requestsPerSecond));
                pipeline.AddRateLimiter(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                }));
            }

            pipeline.AddTimeout(Duration(settings, "Timeout", TimeSpan.FromSeconds(30)));
        });
        return builder;
    }

    private static TimeSpan Duration(DestinationSettings settings, string key, TimeSpan fallback)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Value(key) is { } text && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero ? value : fallback;
    }
}
