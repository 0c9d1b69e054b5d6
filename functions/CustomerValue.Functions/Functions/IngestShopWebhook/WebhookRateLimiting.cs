using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CustomerValue.Functions.Functions.IngestShopWebhook;

/// <summary>
/// Per-source rate limiting of the webhook route (ASP.NET Core's rate limiter): a token bucket per platform and source
/// (the shop domain or site a delivery names, else the caller's address), refilled at
/// <c>Webhooks:RateLimit:PermitsPerSecond</c> and holding at most <c>Webhooks:RateLimit:Burst</c>. Beyond it the answer
/// is 429 with <c>Retry-After</c>, which the shops honour by retrying later, so no delivery is lost; one noisy or
/// hostile source cannot starve the others. A header can be forged, so this spreads load fairly rather than
/// authenticating: signatures still decide what is accepted.
/// </summary>
public static class WebhookRateLimiting
{
    /// <summary>The policy name on the webhook route.</summary>
    public const string PolicyName = "webhooks-per-source";

    /// <summary>The default steady rate per source.</summary>
    public const int DefaultPermitsPerSecond = 100;

    /// <summary>The default burst per source (Shopify sends bursts during a sale).</summary>
    public const int DefaultBurst = 200;

    private static readonly string[] SourceHeaders = ["X-Shopify-Shop-Domain", "X-WC-Webhook-Source"];

    /// <summary>Adds the rate limiter and its policy.</summary>
    public static IServiceCollection AddWebhookRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = Math.Max(1, configuration.GetValue("Webhooks:RateLimit:PermitsPerSecond", DefaultPermitsPerSecond));
        var burst = Math.Max(1, configuration.GetValue("Webhooks:RateLimit:Burst", Math.Max(DefaultBurst, permits)));
        return services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, context => RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = permits,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            options.OnRejected = (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>The platform and the source a delivery names (else the caller's address), lower-cased.</summary>
    public static string PartitionOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var platform = context.Request.RouteValues["platform"]?.ToString() ?? string.Empty;
        var source = SourceHeaders.Select(h => context.Request.Headers[h].ToString()).FirstOrDefault(v => v.Length > 0)
            ?? context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        // Bounded: a source header is caller-chosen, and a partition key is kept in memory while it is in use.
        return $"{platform}|{(source.Length > 256 ? source[..256] : source)}".ToLowerInvariant();
    }
}

/// <summary>
/// Caps how many webhook bodies are buffered at once (<c>Webhooks:MaxConcurrentBodies</c>): a body is read whole
/// before its signature can be checked, so a flood of large unsigned requests would otherwise hold memory in
/// proportion to its concurrency. Requests beyond the cap wait for a slot (or their caller's cancellation).
/// </summary>
public sealed class WebhookBodyGate(IConfiguration configuration) : IDisposable
{
    /// <summary>The default cap: 16 bodies of at most 5 MB each.</summary>
    public const int DefaultMaxConcurrentBodies = 16;

    private readonly SemaphoreSlim _slots = new(Math.Max(1, configuration.GetValue("Webhooks:MaxConcurrentBodies", DefaultMaxConcurrentBodies)));

    /// <summary>Waits for a slot; disposing the result frees it.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
