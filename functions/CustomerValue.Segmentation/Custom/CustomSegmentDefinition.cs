namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// A segment a user defines, starting from a measurable goal: the rule selects the customers, the KPIs measure
/// whether the goal is reached, the destinations receive the members (less the holdout).
/// </summary>
public sealed record CustomSegmentDefinition
{
    /// <summary>Lower-case letters, digits and hyphens, 1–64 characters; no built-in name.</summary>
    public required string Name { get; init; }

    /// <summary>The goal in words, e.g. "win back 10 % of lapsed store customers this quarter".</summary>
    public required string Goal { get; init; }

    /// <summary>The CEL rule over the profile (see <see cref="CelRule"/>).</summary>
    public required string Rule { get; init; }

    /// <summary>KPIs with targets.</summary>
    public IReadOnlyList<KpiTarget> Kpis { get; init; } = [];

    /// <summary>Where members go, e.g. <c>meta</c>, <c>google-ads</c>, <c>klaviyo</c>.</summary>
    public IReadOnlyList<string> Destinations { get; init; } = [];

    /// <summary>Share of members (0 to 0.5) kept out of the destinations to measure the effect; default 0.</summary>
    public double HoldoutShare { get; init; }
}
