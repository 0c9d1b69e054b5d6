using CustomerValue.Models.Fitting;

namespace CustomerValue.Models.Validation;

/// <summary>Options of <see cref="ModelComparison"/>.</summary>
public sealed record ModelComparisonOptions
{
    /// <summary>Default: all three models, default fit options, calibration rows 0..6 and 7+.</summary>
    public static ModelComparisonOptions Default { get; } = new();

    /// <summary>Models to compare, in report order.</summary>
    public IReadOnlyList<RepeatPurchaseModelKind> Models { get; init; } =
        [RepeatPurchaseModelKind.BgNbd, RepeatPurchaseModelKind.ParetoNbd, RepeatPurchaseModelKind.MbgNbd];

    /// <summary>Fit options for every model.</summary>
    public FitOptions Fit { get; init; } = FitOptions.Default;

    /// <summary>Calibration frequencies at or above this share the last, open-ended row of the calibration table.</summary>
    public int MaxFrequency { get; init; } = 7;
}
