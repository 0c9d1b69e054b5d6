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
    /// <param name="transactions">The transactions, in any order.</param>
    /// <param name="calibrationEnd">Transactions after this day are left out (and counted).</param>
    /// <param name="unit">The unit of recency and age.</param>
    /// <param name="histories">False to leave <see cref="SummaryResult.Histories"/> empty: fitting needs only the
    /// summaries, and a history per customer is garbage a million customers long.</param>
    public static SummaryResult Summarize(IEnumerable<Transaction> transactions, DateTime calibrationEnd, TimeUnit unit = TimeUnit.Days, bool histories = true)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var end = calibrationEnd.Date;
        var issues = new List<InputIssue>();
        var days = new CustomerDays();
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

            days.Add(t.CustomerId, t.Date.Date, t.Amount, row);
        }

        var order = days.InIdOrder();
        var summaries = new List<CustomerSummary>(order.Length);
        var kept = new List<CustomerHistory>(histories ? order.Length : 0);
        var perDay = new List<(DateTime Date, DayTotal Total)>();
        var purchases = new List<(DateTime Date, decimal Amount)>();
        foreach (var customer in order)
        {
            var id = days.IdOf(customer);
            days.DaysOf(customer, perDay);
            NetPurchaseDays(id, perDay, purchases, issues);
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
            if (histories)
            {
                decimal total = 0;
                foreach (var purchase in purchases)
                {
                    total += purchase.Amount;
                }

                kept.Add(new CustomerHistory(id, first, last, purchases.Count, total));
            }
        }

        issues.Sort((a, b) => a.Row.CompareTo(b.Row));
        return new SummaryResult(summaries, kept, issues, after);
    }

    /// <summary>One customer's purchase days (date order) after returns are netted, into <paramref name="purchases"/>.</summary>
    private static void NetPurchaseDays(string id, List<(DateTime Date, DayTotal Total)> perDay, List<(DateTime Date, decimal Amount)> purchases, List<InputIssue> issues)
    {
        purchases.Clear();
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
    }

    private readonly record struct DayTotal(decimal Amount, int FirstRow, bool HasSale)
    {
        public DayTotal(decimal amount, int row)
            : this(amount, row, amount >= 0)
        {
        }

        public DayTotal Add(decimal amount, int row) => new(Amount + amount, Math.Min(FirstRow, row), HasSale || amount >= 0);
    }

    /// <summary>
    /// Every customer's day totals in flat arrays: a customer is a slot, each day an entry chained to the customer's
    /// previous one. A million customers cost about 30 bytes each plus 40 per day, where a sorted dictionary per customer
    /// cost several hundred; a day already seen is found by walking the customer's chain (a handful of days at most).
    /// </summary>
    private sealed class CustomerDays
    {
        private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
        private readonly List<string> _ids = [];
        private readonly List<int> _heads = [];
        private readonly List<Day> _days = [];

        public void Add(string id, DateTime date, decimal amount, int row)
        {
            ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_slots, id, out var known);
            if (!known)
            {
                slot = _ids.Count;
                _ids.Add(id);
                _heads.Add(-1);
            }

            var customer = slot;
            var days = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_days);
            for (var d = _heads[customer]; d >= 0; d = days[d].Previous)
            {
                if (days[d].Date == date)
                {
                    days[d] = days[d] with { Total = days[d].Total.Add(amount, row) };
                    return;
                }
            }

            _days.Add(new Day(date, new DayTotal(amount, row), _heads[customer]));
            _heads[customer] = _days.Count - 1;
        }

        /// <summary>The customers' slots ordered by id (ordinal).</summary>
        public int[] InIdOrder()
        {
            var slots = new int[_ids.Count];
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i] = i;
            }

            var ids = _ids.ToArray();
            Array.Sort(ids, slots, StringComparer.Ordinal);
            return slots;
        }

        public string IdOf(int customer) => _ids[customer];

        /// <summary>One customer's days in date order, into <paramref name="into"/>.</summary>
        public void DaysOf(int customer, List<(DateTime Date, DayTotal Total)> into)
        {
            into.Clear();
            for (var d = _heads[customer]; d >= 0; d = _days[d].Previous)
            {
                into.Add((_days[d].Date, _days[d].Total));
            }

            // The chain runs newest-added first; dates are unique within it.
            into.Sort(static (a, b) => a.Date.CompareTo(b.Date));
        }

        private readonly record struct Day(DateTime Date, DayTotal Total, int Previous);
    }
}
