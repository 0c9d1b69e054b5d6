using System.Globalization;

namespace CustomerValue.Ingestion;

/// <summary>The bound every amount of money is held to where it enters: webhooks of every platform and POS exports.</summary>
public static class OrderAmounts
{
    /// <summary>
    /// The largest amount one order may carry, in the order's currency: 1,000,000,000. Every amount read (total,
    /// discounts, tax, shipping, each refund, the refunds of an order together) is checked; a larger one is refused
    /// where it arrives: a webhook answers 400 naming the field, a POS row is quarantined naming the column.
    /// </summary>
    /// <remarks>
    /// Amounts are summed per customer and across customers as <see cref="decimal"/>, whose range ends near
    /// 7.9 × 10^28. With no order above 10^9 no such sum can overflow for any number of orders a store will hold, so one
    /// corrupt or hostile input cannot make later recomputes fail. 10^9 is far above any retail order in the major
    /// currencies, but only tens of thousands of US dollars in currencies with very small units (VND, IDR, IRR): a shop
    /// selling above that in such a currency needs this raised.
    /// </remarks>
    public const decimal MaxPerOrder = 1_000_000_000m;

    /// <summary><see cref="MaxPerOrder"/> as messages write it.</summary>
    internal static string MaxText { get; } = MaxPerOrder.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>True when the amount is no further from zero than <see cref="MaxPerOrder"/>.</summary>
    internal static bool IsWithinLimit(decimal amount) => amount is >= -MaxPerOrder and <= MaxPerOrder;
}
