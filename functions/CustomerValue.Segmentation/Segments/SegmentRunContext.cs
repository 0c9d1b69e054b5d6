namespace CustomerValue.Segmentation.Segments;

/// <summary>What every rule of one evaluation shares: the time, the tier thresholds and the configuration.</summary>
public sealed record SegmentRunContext
{
    /// <summary>The moment the segments are decided for (the run's start, or now on the real-time path).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The value-tier thresholds of this run (or of the last run, on the real-time path).</summary>
    public required TierThresholds Thresholds { get; init; }

    /// <summary>Built-in segment thresholds.</summary>
    public SegmentOptions Segments { get; init; } = new();

    /// <summary>Margin and costs behind predicted profit.</summary>
    public ValueOptions Value { get; init; } = new();

    /// <summary>
    /// The context of a full run: ranks every buyer among <paramref name="inputs"/> by predicted profit to set the
    /// tier thresholds and percentiles.
    /// </summary>
    public static SegmentRunContext ForRun(IEnumerable<SegmentInput> inputs, DateTimeOffset asOf, SegmentOptions? segments = null, ValueOptions? value = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        value ??= new ValueOptions();
        return new SegmentRunContext
        {
            AsOf = asOf,
            Thresholds = TierThresholds.FromProfits(inputs.Where(i => i.HasPurchased).Select(i => PredictedProfit.Of(i, value))),
            Segments = segments ?? new SegmentOptions(),
            Value = value,
        };
    }

    /// <summary>The customer's predicted 12-month profit under this context's margin and costs.</summary>
    public decimal ProfitOf(SegmentInput input) => PredictedProfit.Of(input, Value);

    /// <summary>The customer's value tier, or null for a non-buyer or when nobody is ranked.</summary>
    public string? TierOf(SegmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.HasPurchased ? Thresholds.TierOf(ProfitOf(input)) : null;
    }
}
