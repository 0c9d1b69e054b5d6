using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// The orders one profile write changes: each incoming version merged with the version held (read before the write,
/// see <see cref="OrderVersionMerge"/>) and counted into the profile's <see cref="OrderTotals"/>.
/// </summary>
internal sealed class OrderChanges(IReadOnlyDictionary<string, OrderRecord> held)
{
    private readonly Dictionary<string, OrderRecord?> _changed = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _stamps;

    /// <summary>True when the totals' earliest or latest times must be recomputed from all the orders.</summary>
    public bool TotalsNeedRebuild { get; private set; }

    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => _changed.Count == 0;

    /// <summary>The version the profile holds now (after this write's changes); null when none.</summary>
    public OrderRecord? Current(string orderKey) =>
        _changed.TryGetValue(orderKey, out var changed) ? changed : held.GetValueOrDefault(orderKey);

    /// <summary>
    /// Merges a version into the profile's order; true when it changed anything. The order is then written with
    /// <paramref name="stamp"/> (the digest of the record that brought the version, see <see cref="KnownRows"/>), or
    /// with none, which clears the stamp an earlier write left.
    /// </summary>
    public bool Apply(CustomerProfile profile, OrderRecord incoming, string? stamp = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(incoming);
        var current = Current(incoming.OrderKey);
        var merged = OrderVersionMerge.Merge(current, incoming);
        if (merged is null)
        {
            return false;
        }

        TotalsNeedRebuild |= !profile.OrderTotals.Replace(current, merged);
        _changed[incoming.OrderKey] = merged;
        if (stamp is not null)
        {
            (_stamps ??= new(StringComparer.Ordinal))[incoming.OrderKey] = stamp;
        }
        else
        {
            _stamps?.Remove(incoming.OrderKey);
        }

        return true;
    }

    /// <summary>Removes an order from the profile; true when it held it.</summary>
    public bool Remove(CustomerProfile profile, string orderKey)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (Current(orderKey) is not { } current)
        {
            return false;
        }

        TotalsNeedRebuild |= !profile.OrderTotals.Replace(current, null);
        _changed[orderKey] = null;
        return true;
    }

    /// <summary>Recomputes the totals from every order the profile holds once these changes are written.</summary>
    public async Task RebuildTotalsAsync(CustomerProfile profile, ProfileOrders orders, CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, OrderRecord>(StringComparer.Ordinal);
        await foreach (var order in orders.AllAsync(profile.Id, cancellationToken))
        {
            all[order.OrderKey] = order;
        }

        foreach (var (key, order) in _changed)
        {
            if (order is null)
            {
                all.Remove(key);
            }
            else
            {
                all[key] = order;
            }
        }

        profile.OrderTotals = OrderTotals.Of(all.Values);
        TotalsNeedRebuild = false;
    }

    /// <summary>The writes that store these changes on the profile's partition.</summary>
    public IEnumerable<Storage.Documents.DocumentWrite> Writes(string profileId) =>
        _changed.Select(c => c.Value is null ? ProfileOrders.Remove(profileId, c.Key)
            : ProfileOrders.Put(profileId, c.Value) with { Stamp = _stamps?.GetValueOrDefault(c.Key) });
}
