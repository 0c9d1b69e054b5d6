using CustomerValue.Domain.Profiles;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>
/// Where the customer page reads a person's orders and refunds from: the one place to change when orders move out
/// of the profile document into a container of their own.
/// </summary>
public static class CustomerOrders
{
    /// <summary>The person's orders, newest first.</summary>
    public static Task<IReadOnlyList<OrderRecord>> ReadAsync(CustomerProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<OrderRecord> orders = [.. profile.OrderHistory.OrderByDescending(o => o.PlacedAt).ThenBy(o => o.OrderKey, StringComparer.Ordinal)];
        return Task.FromResult(orders);
    }
}
