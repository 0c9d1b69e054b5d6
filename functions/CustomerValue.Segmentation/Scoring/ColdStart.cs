using CustomerValue.Models.Summaries;

namespace CustomerValue.Segmentation.Scoring;

/// <summary>
/// The minimums below which the fitted models say little: fewer than <see cref="MinimumCustomers"/> customers, less than
/// <see cref="MinimumHistoryDays"/> days between the first purchase and the calibration end, or fewer than
/// <see cref="MinimumRepeatBuyers"/> customers who bought twice. Below them the run is flagged <c>insufficientData</c>,
/// no model is chosen by holdout (there is too little to hold out), and the values come from BG/NBD, whose documented
/// thin-data estimate takes over under 20 repeat buyers (functions/CustomerValue.Models/README.md); every number stays
/// finite, and the flag tells the reader how far to trust it.
/// </summary>
public static class ColdStart
{
    /// <summary>Customers needed before the models are trusted.</summary>
    public const int MinimumCustomers = 100;

    /// <summary>Days of history needed (first purchase to calibration end).</summary>
    public const int MinimumHistoryDays = 90;

    /// <summary>Repeat buyers needed.</summary>
    public const int MinimumRepeatBuyers = 20;

    /// <summary>Null when the data meets the minimums; otherwise which one it misses.</summary>
    public static string? Shortfall(IReadOnlyList<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        int repeat = customers.Count(c => c.Frequency > 0);
        double history = customers.Count == 0 ? 0 : customers.Max(c => c.T);
        if (customers.Count < MinimumCustomers)
        {
            return $"{customers.Count} customers < {MinimumCustomers}";
        }

        if (history < MinimumHistoryDays)
        {
            return $"{history:0} days of history < {MinimumHistoryDays}";
        }

        return repeat < MinimumRepeatBuyers ? $"{repeat} repeat buyers < {MinimumRepeatBuyers}" : null;
    }
}
