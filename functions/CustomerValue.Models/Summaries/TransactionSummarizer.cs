using System.Globalization;

namespace CustomerValue.Models.Summaries;

/// <summary>
/// Turns transactions into the per-customer RFM summaries the models take.
/// </summary>
/// <remarks>
/// Rules, in order:
/// <list type="number">
/// <item>Only transactions dated on or before the calibration end are used; only their calendar date counts.</item>
/// <item>Per customer and day the amounts are netted: several purchases on one day are ONE purchase (worth their sum),
/// and a same-day return reduces it.</item>
/// <item>A day is a purchase occasion when it holds at least one sale (an amount ≥ 0, so a free or promotional order such
/// as CDNOW's $0.00 rows counts). Returns reduce spend only, never the purchase occasions that happened: a return is
/// taken off its own day's value and, where that is not enough, off the latest earlier purchase days, each down to zero
/// at the least — a returned order still tells the models the customer came back. A return before any purchase, or
/// larger than all earlier purchases, is reported and its excess ignored. (Where the source links a refund to its order,
/// the order arrives already net of it and this rule never sees a negative amount.)</item>
/// <item>Frequency x = purchase days − 1 (repeat purchase periods); recency t_x = last − first purchase day; T = calibration
/// end − first purchase day; monetary value = mean net value of the repeat purchase days (0 when x = 0). Times are in the
/// chosen unit (days, or fractional weeks = days / 7).</item>
/// </list>
/// </remarks>
public static class TransactionSummarizer
{
    /// <summary>Summarises <paramref name="transactions"/> as of <paramref name="calibrationEnd"/> in <paramref name="unit"/>.</summary>
    public static SummaryResult Summarize(IEnumerable<Transaction> transactions, DateTime calibrationEnd, TimeUnit unit = TimeUnit.Days)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var end = calibrationEnd.Date;
        var issues = new List<InputIssue>();
        var days = new Dictionary<string, SortedDictionary<DateTime, DayTotal>>(StringComparer.Ordinal);
        int row = 0, after = 0;
        foreach (var t in transactions)
        {
            row++;
            if (string.IsNullOrWhiteSpace(t.CustomerId))
            {
                issues.Add(new InputIssue(row, null, "customer id is empty; transaction skipped"));
                continue;
            }

            if (t.Date.Date > end)
            {
                after++;
                continue;
            }

            if (!days.TryGetValue(t.CustomerId, out var perDay))
            {
                perDay = [];
                days.Add(t.CustomerId, perDay);
            }

            var date = t.Date.Date;
            perDay[date] = perDay.TryGetValue(date, out var total) ? total.Add(t.Amount, row) : new DayTotal(t.Amount, row);
        }

        var summaries = new List<CustomerSummary>(days.Count);
        var histories = new List<CustomerHistory>(days.Count);
        foreach (var (id, perDay) in days.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var purchases = NetPurchaseDays(id, perDay, issues);
            if (purchases.Count == 0)
            {
                continue;
            }

            var first = purchases[0].Date;
            var last = purchases[^1].Date;
            int x = purchases.Count - 1;
            decimal repeatValue = 0;
            for (int i = 1; i < purchases.Count; i++)
            {
                repeatValue += purchases[i].Amount;
            }

            double monetary = x > 0 ? (double)(repeatValue / x) : 0.0;
            summaries.Add(new CustomerSummary(id, x, TimeUnits.Between(first, last, unit), TimeUnits.Between(first, end, unit), monetary));
            histories.Add(new CustomerHistory(id, first, last, purchases.Count, purchases.Sum(p => p.Amount)));
        }

        issues.Sort((a, b) => a.Row.CompareTo(b.Row));
        return new SummaryResult(summaries, histories, issues, after);
    }

    private static List<(DateTime Date, decimal Amount)> NetPurchaseDays(string id, SortedDictionary<DateTime, DayTotal> perDay, List<InputIssue> issues)
    {
        var purchases = new List<(DateTime Date, decimal Amount)>();
        foreach (var (date, total) in perDay)
        {
            if (total.HasSale)
            {
                purchases.Add((date, Math.Max(total.Amount, 0m)));
                if (total.Amount >= 0)
                {
                    continue;
                }
            }

            // What a return leaves over after its own day: taken off the latest earlier purchase days, down to zero each.
            decimal remaining = -total.Amount;
            for (int i = purchases.Count - (total.HasSale ? 2 : 1); remaining > 0 && i >= 0; i--)
            {
                var taken = Math.Min(purchases[i].Amount, remaining);
                purchases[i] = (purchases[i].Date, purchases[i].Amount - taken);
                remaining -= taken;
            }

            if (remaining > 0)
            {
                issues.Add(new InputIssue(total.FirstRow, id, string.Format(
                    CultureInfo.InvariantCulture, "return of {0} on {1:yyyy-MM-dd} exceeds the earlier purchases; the excess is ignored", remaining, date)));
            }
        }

        return purchases;
    }

    private readonly record struct DayTotal(decimal Amount, int FirstRow, bool HasSale)
    {
        public DayTotal(decimal amount, int row)
            : this(amount, row, amount >= 0)
        {
        }

        public DayTotal Add(decimal amount, int row) => new(Amount + amount, Math.Min(FirstRow, row), HasSale || amount >= 0);
    }
}
