using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>Where the customer page reads a person's orders and refunds from: the <c>orders</c> container.</summary>
public static class CustomerOrders
{
    /// <summary>
    /// The most orders the page lists: a wholesale customer may hold tens of thousands, which no page should render;
    /// the API pages through all of them.
    /// </summary>
    public const int Shown = 500;

    /// <summary>The person's newest orders, newest first, at most <see cref="Shown"/>.</summary>
    public static async Task<IReadOnlyList<OrderRecord>> ReadAsync(ProfileQueries profiles, CustomerProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(profile);
        var orders = await profiles.AllOrdersAsync(profile.Id, cancellationToken);
        return [.. orders.OrderByDescending(o => o.PlacedAt).ThenBy(o => o.OrderKey, StringComparer.Ordinal).Take(Shown)];
    }
}
