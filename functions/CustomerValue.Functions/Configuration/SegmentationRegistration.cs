using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.RealTime;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Functions.Configuration;

/// <summary>The segmentation services: thresholds, the recompute, custom segments and the segment and run queries.</summary>
public static class SegmentationRegistration
{
    /// <summary>
    /// Registers segment thresholds (<c>Segments:...</c>, including <c>Segments:DefinitionsPath</c>), the profit that value
    /// tiers rank by (<c>Value:GrossMargin</c>, <c>CostPerOrder</c>, <c>CostPerReturn</c>), the recompute, the custom
    /// segment catalog, the read side the APIs and the dashboard share (<see cref="SegmentQueries"/>, <see cref="RunQueries"/>)
    /// and, unless <c>Segments:RealTime</c> is false, the real-time path joined to every profile write.
    /// </summary>
    public static IServiceCollection AddSegmentation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection("Segments").Get<SegmentOptions>() ?? new SegmentOptions());
        services.AddSingleton(configuration.GetSection("Value").Get<ValueOptions>() ?? new ValueOptions());
        services.AddSingleton<CustomSegmentStore>();
        services.AddSingleton<CustomSegmentCatalog>();
        services.AddSingleton<CustomerValueRecompute>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<SegmentQueries>();
        services.AddSingleton<RealTimeSegments>();
        if (configuration.GetValue("Segments:RealTime", true))
        {
            services.AddSingleton<IProfileRefresher, RealTimeProfileRefresher>();
        }

        return services;
    }
}

/// <summary>Joins the segmentation's real-time path to the profile writes of identity resolution.</summary>
internal sealed class RealTimeProfileRefresher(RealTimeSegments segments) : IProfileRefresher
{
    public ValueTask<Func<CustomerProfile, CustomerProfile>?> PrepareAsync(CancellationToken cancellationToken) => segments.PrepareAsync(cancellationToken);
}
