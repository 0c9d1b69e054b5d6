using CustomerValue.Publishing.Destinations;
using CustomerValue.Publishing.Holdouts;

namespace CustomerValue.Publishing.Delivery;

/// <summary>The configured destinations of the delivery pipeline and the holdouts none of them receives.</summary>
/// <param name="Destinations">Every configured destination.</param>
/// <param name="Holdouts">The control groups.</param>
public sealed record AudienceRouting(IReadOnlyList<DestinationSettings> Destinations, HoldoutPolicy Holdouts)
{
    /// <summary>No configured destination.</summary>
    public static AudienceRouting None { get; } = new([], HoldoutPolicy.None);

    /// <summary>Where custom segments' holdout shares come from; none without custom segments.</summary>
    public ICustomSegmentHoldouts? CustomHoldouts { get; init; }

    /// <summary>
    /// The control groups now: the configured ones and those of the custom segments' current definitions. Read once
    /// per change-feed batch (and per guidance report), so a definition saved through the API applies from the next one.
    /// </summary>
    public async Task<HoldoutPolicy> HoldoutsAsync(CancellationToken cancellationToken = default) =>
        CustomHoldouts is null ? Holdouts : Holdouts.With(await CustomHoldouts.SharesAsync(cancellationToken));

    /// <summary>The destination called <paramref name="name"/>, or null.</summary>
    public DestinationSettings? Find(string name) => Destinations.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
