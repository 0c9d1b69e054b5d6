using System.Text.Json;
using CustomerValue.Ingestion.Json;

namespace CustomerValue.Ingestion.Webhooks.Shopify;

/// <summary>
/// Amounts in the shop's currency. Multi-currency orders carry each amount as a price set with
/// <c>shop_money</c> (the shop's currency) and <c>presentment_money</c> (the customer's); the plain fields
/// (<c>total_price</c>) are the fallback for old payloads. Every amount read must be a readable number, or the payload
/// is refused naming the field (<see cref="JsonFields.Money"/>).
/// </summary>
internal static class ShopifyMoney
{
    /// <summary><c>{set}.shop_money.amount</c>, else the plain field; never negative.</summary>
    /// <param name="owner">The object holding the price set.</param>
    /// <param name="setName">The price set, e.g. <c>total_price_set</c>.</param>
    /// <param name="plainName">The field read when there is no price set, e.g. <c>total_price</c>.</param>
    /// <param name="context">The payload, for messages.</param>
    /// <param name="path">Where <paramref name="owner"/> is in the payload, for messages: empty or e.g. <c>shipping_lines[].</c>.</param>
    public static decimal? Shop(JsonElement owner, string setName, string? plainName, string context, string path = "") =>
        owner.Object(setName, "shop_money")?.Money("amount", context, $"{path}{setName}.shop_money.amount")
        ?? (plainName is null ? null : owner.Money(plainName, context, $"{path}{plainName}"));

    /// <summary>The shop currency of an order: <c>total_price_set.shop_money.currency_code</c>, else <c>currency</c>.</summary>
    public static string? ShopCurrency(JsonElement order) =>
        order.Object("total_price_set", "shop_money")?.String("currency_code")
        ?? order.Object("current_total_price_set", "shop_money")?.String("currency_code")
        ?? order.String("currency");

    /// <summary>
    /// Shop units per presentment unit of one price set, when both amounts are known and non-zero. A pair of amounts
    /// with opposite signs, or one implying more than <see cref="MaxRate"/> units of one currency per unit of the
    /// other, is refused: it is no exchange rate, and dividing by a near-zero amount would overflow.
    /// </summary>
    public static decimal? Rate(JsonElement owner, string setName, string context, string path = "")
    {
        // Adjustments are negative in both currencies; the rate is their quotient all the same.
        var shop = owner.Object(setName, "shop_money")?.Money("amount", context, $"{path}{setName}.shop_money.amount", allowNegative: true);
        var presentment = owner.Object(setName, "presentment_money")?.Money("amount", context, $"{path}{setName}.presentment_money.amount", allowNegative: true);
        if (shop is not { } s || presentment is not { } p || p == 0 || s == 0)
        {
            return null;
        }

        var (a, b) = (Math.Abs(s), Math.Abs(p));
        return Math.Sign(s) == Math.Sign(p) && a <= b * MaxRate && b <= a * MaxRate
            ? s / p
            : throw new PayloadException($"{context}: '{path}{setName}' implies no exchange rate between 1:{MaxRate:#,0} and {MaxRate:#,0}:1.");
    }

    /// <summary>The most units of one currency a unit of another may be worth (an Iranian rial is about 1/10^6 euro).</summary>
    private const decimal MaxRate = 10_000_000m;

    /// <summary>
    /// The money a refund gave back, in shop currency: successful <c>refund</c> transactions. A transaction's
    /// <c>amount</c> is in its own <c>currency</c> (the presentment currency); it is converted with the rate the
    /// order or the refund's own price sets imply. Without any rate it is taken as is, with a warning. Shopify writes
    /// refund transactions as positive amounts; a negative one is refused rather than netted against the others.
    /// </summary>
    public static decimal RefundAmount(
        JsonElement refund, string? shopCurrency, decimal? orderRate, List<string> warnings, string refundId, string context, string path = "")
    {
        var total = 0m;
        var rate = orderRate ?? RefundRate(refund, context, path);
        foreach (var transaction in refund.Array("transactions"))
        {
            if (!string.Equals(transaction.String("kind"), "refund", StringComparison.OrdinalIgnoreCase)
                || !string.Equals(transaction.String("status"), "success", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (Shop(transaction, "amount_set", null, context, $"{path}transactions[].") is { } shopAmount)
            {
                total += shopAmount;
                continue;
            }

            var amount = transaction.Money("amount", context, $"{path}transactions[].amount") ?? 0m;
            var currency = transaction.String("currency");
            if (currency is null || shopCurrency is null || string.Equals(currency, shopCurrency, StringComparison.OrdinalIgnoreCase))
            {
                total += amount;
            }
            else if (rate is { } r)
            {
                total += decimal.Round(amount * r, 2, MidpointRounding.AwayFromZero);
            }
            else
            {
                total += amount;
                warnings.Add($"refund {refundId}: a transaction in {currency} has no shop-money amount and no rate to convert it; taken unconverted.");
            }
        }

        return OrderAmounts.IsWithinLimit(total) ? total : throw new PayloadException(JsonFields.TooLarge(context, $"refund {PayloadException.Token(refundId)}"));
    }

    /// <summary>The rate implied by a refund's line items and adjustments (their price sets carry both currencies).</summary>
    public static decimal? RefundRate(JsonElement refund, string context, string path = "")
    {
        foreach (var line in refund.Array("refund_line_items"))
        {
            if (Rate(line, "subtotal_set", context, $"{path}refund_line_items[].") is { } rate)
            {
                return rate;
            }
        }

        foreach (var adjustment in refund.Array("order_adjustments"))
        {
            if (Rate(adjustment, "amount_set", context, $"{path}order_adjustments[].") is { } rate)
            {
                return rate;
            }
        }

        return null;
    }

    /// <summary>The shop currency a refund's own price sets name, if any.</summary>
    public static string? RefundShopCurrency(JsonElement refund) =>
        refund.Array("refund_line_items").Select(l => l.Object("subtotal_set", "shop_money")?.String("currency_code")).FirstOrDefault(c => c is not null)
        ?? refund.Array("order_adjustments").Select(a => a.Object("amount_set", "shop_money")?.String("currency_code")).FirstOrDefault(c => c is not null);
}
