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

    /// <summary>The destination called <paramref name="name"/>, or null.</summary>
    public DestinationSettings? Find(string name) => Destinations.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
}
