namespace CustomerValue.Domain.Profiles;

/// <summary>
/// What a person's orders add up to, kept on the profile while the orders themselves live in their own documents: the
/// counts and sums the API shows, the channels, devices and first touch, and one <see cref="PurchaseDay"/> per day with
/// orders, from which the models read frequency, recency, T and spend and the segments read their windows.
/// <para>
/// Kept up to date incrementally: each new or changed order version is <see cref="Replace"/>d into the totals (its
/// held version taken out, the new one added). Sums and counts are exact under that. Earliest and latest times are
/// not: taking out the order that set one leaves no way to know the next, so <see cref="Replace"/> then says so and the
/// caller recomputes the totals from all the orders with <see cref="Of"/> (a cancelled first or last order; rare).
/// </para>
/// </summary>
public sealed class OrderTotals
{
    /// <summary>Orders kept (every order and return, cancelled ones included).</summary>
    public int Kept { get; set; }

    /// <summary>Purchases: sales not cancelled.</summary>
    public int Purchases { get; set; }

    /// <summary>Purchases that had money refunded.</summary>
    public int RefundedPurchases { get; set; }

    /// <summary>Standalone returns not cancelled.</summary>
    public int Returns { get; set; }

    /// <summary>Paid over orders not cancelled.</summary>
    public decimal Gross { get; set; }

    /// <summary>Refunded over orders not cancelled (refunds on orders plus standalone returns).</summary>
    public decimal Refunded { get; set; }

    /// <summary>The first purchase.</summary>
    public DateTimeOffset? FirstPurchaseAt { get; set; }

    /// <summary>The latest purchase.</summary>
    public DateTimeOffset? LastPurchaseAt { get; set; }

    /// <summary>Per sales channel: purchases and the latest one, sorted by channel.</summary>
    public List<ChannelTotal> Channels { get; init; } = [];

    /// <summary>Per device or source: purchases, sorted by device.</summary>
    public List<DeviceTotal> Devices { get; init; } = [];

    /// <summary>The earliest purchase that names an acquisition channel (ties: the smaller order key).</summary>
    public FirstTouch? Acquisition { get; set; }

    /// <summary>Per UTC day with orders, sorted by day.</summary>
    public List<PurchaseDay> Days { get; init; } = [];

    /// <summary>The totals of a set of orders (each order's latest version once).</summary>
    public static OrderTotals Of(IEnumerable<OrderRecord> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var totals = new OrderTotals();
        foreach (var order in orders)
        {
            totals.Add(order);
        }

        return totals;
    }

    /// <summary>
    /// Takes <paramref name="held"/> (the version counted so far, if any) out and adds <paramref name="current"/> (null:
    /// the order is gone).
    /// </summary>
    /// <returns>False when the totals' earliest or latest times may now be wrong: recompute them with <see cref="Of"/>.</returns>
    public bool Replace(OrderRecord? held, OrderRecord? current)
    {
        var exact = true;
        if (held is not null)
        {
            Count(held, -1);
            exact = !SetsAnExtreme(held) || (current is not null && SameExtremes(held, current));
        }

        if (current is not null)
        {
            Add(current);
        }

        return exact;
    }

    private void Add(OrderRecord order)
    {
        Count(order, +1);
        if (!order.IsPurchase)
        {
            return;
        }

        FirstPurchaseAt = FirstPurchaseAt is { } first && first <= order.PlacedAt ? first : order.PlacedAt;
        LastPurchaseAt = LastPurchaseAt is { } last && last >= order.PlacedAt ? last : order.PlacedAt;
        var channel = Channels.FindIndex(c => c.Channel == order.Channel);
        if (channel >= 0 && Channels[channel].LastPurchaseAt < order.PlacedAt)
        {
            Channels[channel] = Channels[channel] with { LastPurchaseAt = order.PlacedAt };
        }

        if (order.AcquisitionChannel is { } touch
            && (Acquisition is null || order.PlacedAt < Acquisition.At
                || (order.PlacedAt == Acquisition.At && string.CompareOrdinal(order.OrderKey, Acquisition.OrderKey) < 0)))
        {
            Acquisition = new FirstTouch(touch, order.PlacedAt, order.OrderKey);
        }
    }

    /// <summary>Adds (<paramref name="sign"/> = 1) or takes out (−1) what an order contributes to counts and sums.</summary>
    private void Count(OrderRecord order, int sign)
    {
        Kept += sign;
        if (order.Cancelled)
        {
            return;
        }

        Gross += sign * order.Gross;
        Refunded += sign * order.Refunded;
        if (order.Kind == OrderKind.Return)
        {
            Returns += sign;
        }

        if (order.IsPurchase)
        {
            Purchases += sign;
            RefundedPurchases += order.Refunded > 0 ? sign : 0;
            CountChannel(order, sign);
            if (order.Device is { } device)
            {
                CountDevice(device, sign);
            }
        }

        CountDay(order, sign);
        if (Purchases == 0)
        {
            (FirstPurchaseAt, LastPurchaseAt, Acquisition) = (null, null, null);
        }
    }

    private void CountChannel(OrderRecord order, int sign)
    {
        var index = Channels.FindIndex(c => c.Channel == order.Channel);
        if (index < 0)
        {
            Channels.Add(new ChannelTotal(order.Channel, sign, order.PlacedAt));
            Channels.Sort((x, y) => x.Channel.CompareTo(y.Channel));
            return;
        }

        var purchases = Channels[index].Purchases + sign;
        if (purchases <= 0)
        {
            Channels.RemoveAt(index);
        }
        else
        {
            Channels[index] = Channels[index] with { Purchases = purchases };
        }
    }

    private void CountDevice(string device, int sign)
    {
        var index = Devices.FindIndex(d => d.Device == device);
        if (index < 0)
        {
            Devices.Add(new DeviceTotal(device, sign));
            Devices.Sort((x, y) => string.CompareOrdinal(x.Device, y.Device));
        }
        else if (Devices[index].Purchases + sign <= 0)
        {
            Devices.RemoveAt(index);
        }
        else
        {
            Devices[index] = Devices[index] with { Purchases = Devices[index].Purchases + sign };
        }
    }

    /// <summary>The order as the models see it: its net value on its UTC day, a return as a negative amount.</summary>
    private void CountDay(OrderRecord order, int sign)
    {
        var amount = order.Kind == OrderKind.Return ? -order.Refunded : order.Gross - order.Refunded;
        var date = DateOnly.FromDateTime(order.PlacedAt.UtcDateTime);
        var index = Days.BinarySearch(new PurchaseDay(date, 0, 0, 0m, 0m), DayOrder.Instance);
        var day = index >= 0 ? Days[index] : new PurchaseDay(date, 0, 0, 0m, 0m);
        day = day with
        {
            Purchases = day.Purchases + (order.IsPurchase ? sign : 0),
            Sales = day.Sales + (amount >= 0 ? sign : 0),
            Positive = day.Positive + (amount >= 0 ? sign * amount : 0m),
            Negative = day.Negative + (amount < 0 ? sign * amount : 0m),
        };
        if (index >= 0 && day.IsEmpty)
        {
            Days.RemoveAt(index);
        }
        else if (index >= 0)
        {
            Days[index] = day;
        }
        else if (!day.IsEmpty)
        {
            Days.Insert(~index, day);
        }
    }

    /// <summary>True when the order set (or may have set) an earliest or latest time the totals keep.</summary>
    private bool SetsAnExtreme(OrderRecord order) =>
        order.IsPurchase && Purchases > 0
        && (order.PlacedAt == FirstPurchaseAt || order.PlacedAt == LastPurchaseAt
            || Channels.Exists(c => c.Channel == order.Channel && c.LastPurchaseAt == order.PlacedAt)
            || Acquisition?.OrderKey == order.OrderKey);

    private static bool SameExtremes(OrderRecord held, OrderRecord current) =>
        held.IsPurchase == current.IsPurchase && held.PlacedAt == current.PlacedAt && held.Channel == current.Channel
        && held.AcquisitionChannel == current.AcquisitionChannel && held.OrderKey == current.OrderKey;

    private sealed class DayOrder : IComparer<PurchaseDay>
    {
        public static readonly DayOrder Instance = new();

        public int Compare(PurchaseDay? x, PurchaseDay? y) => x!.Date.CompareTo(y!.Date);
    }
}

/// <summary>Purchases through one sales channel.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Purchases">Purchases through it.</param>
/// <param name="LastPurchaseAt">The latest of them.</param>
public sealed record ChannelTotal(SalesChannel Channel, int Purchases, DateTimeOffset LastPurchaseAt);

/// <summary>Purchases from one device or source.</summary>
/// <param name="Device">E.g. <c>mobile</c>, <c>desktop</c>, <c>pos</c>.</param>
/// <param name="Purchases">Purchases from it.</param>
public sealed record DeviceTotal(string Device, int Purchases);

/// <summary>The first-touch acquisition channel and the purchase that recorded it.</summary>
/// <param name="Channel">The acquisition channel.</param>
/// <param name="At">When that purchase was placed.</param>
/// <param name="OrderKey">That purchase.</param>
public sealed record FirstTouch(string Channel, DateTimeOffset At, string OrderKey);
