using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Valuation;

/// <summary>How to value customers: horizon, discounting, margin and the length of a month in model time units.</summary>
public sealed record ValuationOptions
{
    /// <summary>Default: 12 months, 1 % a month, margin 1, time in days.</summary>
    public static ValuationOptions Default { get; } = new();

    /// <summary>CLV horizon in whole months (also the horizon of <see cref="CustomerScore.ExpectedPurchases"/>).</summary>
    public int HorizonMonths { get; init; } = 12;

    /// <summary>Monthly discount rate d: month m is discounted by (1 + d)^m.</summary>
    public double MonthlyDiscountRate { get; init; } = 0.01;

    /// <summary>Gross margin applied to spend (1 = revenue).</summary>
    public double GrossMargin { get; init; } = 1.0;

    /// <summary>
    /// Length of a month in the time unit the model was fitted in: <see cref="TimeUnits.PerMonth"/> gives 30.4375 for days
    /// and 4.348 for weeks. Getting this wrong scales CLV by the ratio of the units.
    /// </summary>
    public double TimeUnitsPerMonth { get; init; } = TimeUnits.PerMonth(TimeUnit.Days);

    /// <summary>
    /// Horizon of <see cref="CustomerScore.ExpectedPurchases"/> in time units, when it differs from the CLV horizon (e.g. the
    /// 39-week CDNOW holdout beside a 12-month CLV); null: <see cref="HorizonMonths"/> months. A horizon of 0 gives 0.
    /// </summary>
    public double? PurchaseHorizon { get; init; }

    /// <summary>Whether bulk scoring also solves for the time to the next purchase (costs ~20 model evaluations per distinct history).</summary>
    public bool IncludeNextPurchase { get; init; }

    /// <summary>Search cap for the next purchase, in months; beyond it no next purchase is predicted.</summary>
    public double NextPurchaseCapMonths { get; init; } = 12;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(HorizonMonths);
        if (!(MonthlyDiscountRate > -1) || !double.IsFinite(MonthlyDiscountRate))
        {
            throw new ArgumentOutOfRangeException(nameof(MonthlyDiscountRate), MonthlyDiscountRate, "The monthly discount rate must be a finite number above -1.");
        }

        if (!(TimeUnitsPerMonth > 0) || !double.IsFinite(TimeUnitsPerMonth))
        {
            throw new ArgumentOutOfRangeException(nameof(TimeUnitsPerMonth), TimeUnitsPerMonth, "A month must be a finite positive number of time units.");
        }

        if (PurchaseHorizon is { } horizon && !(horizon >= 0 && double.IsFinite(horizon)))
        {
            throw new ArgumentOutOfRangeException(nameof(PurchaseHorizon), horizon, "The purchase horizon must be a finite number >= 0.");
        }

        if (!double.IsFinite(GrossMargin))
        {
            throw new ArgumentOutOfRangeException(nameof(GrossMargin), GrossMargin, "The gross margin must be finite.");
        }
    }
}
