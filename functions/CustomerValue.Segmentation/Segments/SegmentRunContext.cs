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

    /// <summary>
    /// The customer's value tier, or null for a non-buyer or when nobody is ranked: by predicted profit, except that
    /// with <see cref="TierOptions.MinProbabilityTop20"/> set a top-ranked buyer below that certainty is in
    /// <c>middle-60</c>.
    /// </summary>
    public string? TierOf(SegmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.HasPurchased)
        {
            return null;
        }

        var tier = Thresholds.TierOf(ProfitOf(input));
        return tier == Domain.Segments.SegmentNames.Top20 && IsUncertainTop(input) ? Domain.Segments.SegmentNames.Middle60 : tier;
    }

    /// <summary>Why a buyer ranked in the top 20 % is not in <c>top-20</c>, or null when it is (or is not ranked there).</summary>
    public string? UncertainTopReason(SegmentInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IsUncertainTop(input) && Thresholds.TierOf(ProfitOf(input)) == Domain.Segments.SegmentNames.Top20
            ? $"P(top-20) {Reasons.Number(input.ProbabilityTop20!.Value)} < {Reasons.Number(Segments.Tiers.MinProbabilityTop20!.Value)}"
            : null;
    }

    private bool IsUncertainTop(SegmentInput input) =>
        Segments.Tiers.MinProbabilityTop20 is { } minimum && input.ProbabilityTop20 is { } probability && probability < minimum;
}
