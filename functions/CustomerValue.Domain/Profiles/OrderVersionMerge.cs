
namespace CustomerValue.Domain.Profiles;

/// <summary>
/// Combines the order version a profile holds with one that arrives, so that refunds are never counted twice nor
/// lost, whatever order the deliveries come in. Rules:
/// <list type="bullet">
/// <item>A newer full version replaces an older one; an older or
/// equal one changes nothing.</item>
/// <item>Refunds are facts that never change once made, so the refund lists of both are united by refund id and
/// <see cref="OrderRecord.Refunded"/> grows by the refunds the survivor did not know. This keeps a refund that a
/// <c>refunds/create</c> delivered before the order version that includes it, and the reverse.</item>
/// <item>A refund-only record (<see cref="OrderRecord.IsRefundOnly"/>) never replaces an order; it is held alone,
/// as a return, only until the order itself arrives.</item>
/// <item>Refunds of a refund-only record in another currency than the order's (a Shopify refund made of transactions
/// only, in the customer's currency) are not added: the order version Shopify sends with every refund carries the
/// same refund converted to the shop currency.</item>
/// </list>
/// </summary>
public static class OrderVersionMerge
{
    /// <summary>The record to keep for the order, or null when <paramref name="incoming"/> changes nothing.</summary>
    public static OrderRecord? Merge(OrderRecord? held, OrderRecord incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (held is null)
        {
            return incoming;
        }

        if (!string.Equals(held.OrderKey, incoming.OrderKey, StringComparison.Ordinal))
        {
            throw new ArgumentException("The two records are versions of different orders.", nameof(incoming));
        }

        var survivor = PickSurvivor(held, incoming);
        var other = ReferenceEquals(survivor, held) ? incoming : held;
        var known = new HashSet<string>((survivor.Refunds ?? []).Select(r => r.RefundId), StringComparer.Ordinal);
        var comparable = !other.IsRefundOnly || survivor.IsRefundOnly
            || string.Equals(other.Currency, survivor.Currency, StringComparison.OrdinalIgnoreCase);
        var extra = comparable ? (other.Refunds ?? []).Where(r => known.Add(r.RefundId)).ToList() : [];

        if (ReferenceEquals(survivor, held) && extra.Count == 0)
        {
            return null;
        }

        return extra.Count == 0
            ? survivor
            : survivor with
            {
                Refunds = [.. survivor.Refunds ?? [], .. extra],
                Refunded = survivor.Refunded + extra.Sum(r => r.Amount),
            };
    }

    private static OrderRecord PickSurvivor(OrderRecord held, OrderRecord incoming)
    {
        if (incoming.IsRefundOnly != held.IsRefundOnly)
        {
            // A real order version always wins over refunds held for it, whatever the timestamps.
            return incoming.IsRefundOnly ? held : incoming;
        }

        if (incoming.IsRefundOnly)
        {
            // Two refund-only records: keep the earlier as the base so VersionAt stays the first refund's time.
            return held;
        }

        return incoming.VersionAt > held.VersionAt ? incoming : held;
    }
}
