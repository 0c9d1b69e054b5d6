using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Recompute;

namespace CustomerValue.Segmentation.Queries;

/// <summary>One segment as <c>GET api/segments</c> lists it: what it is, how it is decided, and its latest KPIs.</summary>
public record SegmentOverview
{
    /// <summary>A built-in segment (one rule of the registry).</summary>
    public const string BuiltInKind = "builtIn";

    /// <summary>A goal-driven segment a user defined.</summary>
    public const string CustomKind = "custom";

    /// <summary>The segment name.</summary>
    public required string Name { get; init; }

    /// <summary><see cref="BuiltInKind"/> or <see cref="CustomKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>What the segment is for (for custom segments: the goal).</summary>
    public required string Description { get; init; }

    /// <summary>The definition with its thresholds in words (for custom segments: the CEL rule).</summary>
    public required string Definition { get; init; }

    /// <summary><c>realTime</c> or <c>rankBased</c>: whether the real-time path updates it between recomputes.</summary>
    public required string Timing { get; init; }

    /// <summary>False when customers without a purchase can be members.</summary>
    public bool RequiresPurchase { get; init; }

    /// <summary>Members after the latest run (0 before the first, or before a new custom segment's first run).</summary>
    public int Size { get; init; }

    /// <summary>The run the KPIs come from; null before the segment's first run.</summary>
    public string? RunId { get; init; }

    /// <summary>The latest run's KPIs; null before the segment's first run.</summary>
    public SegmentKpis? Kpis { get; init; }

    /// <summary>Custom segments: the goal, the KPI targets, destinations, holdout and where the definition lives.</summary>
    public CustomSegmentInfo? Custom { get; init; }
}

/// <summary>A segment with its KPIs run after run (<c>GET api/segments/{name}</c>).</summary>
public sealed record SegmentDetail : SegmentOverview
{
    /// <summary>KPIs of every recorded run, oldest first (at most <see cref="SegmentKpiHistory.MaxRuns"/>).</summary>
    public IReadOnlyList<SegmentKpiEntry> History { get; init; } = [];
}

/// <summary>What a custom segment's definition says beyond its rule.</summary>
/// <param name="Goal">The goal in words.</param>
/// <param name="Targets">The KPIs with their targets.</param>
/// <param name="Destinations">Where members go.</param>
/// <param name="HoldoutShare">Share of members held out of the destinations.</param>
/// <param name="Source"><c>file</c> (the definitions file) or <c>api</c> (saved through <c>PUT api/segments/{name}</c>).</param>
public sealed record CustomSegmentInfo(string Goal, IReadOnlyList<KpiTarget> Targets, IReadOnlyList<string> Destinations, double HoldoutShare, string Source);
