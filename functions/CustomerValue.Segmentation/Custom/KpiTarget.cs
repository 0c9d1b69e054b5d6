using System.Text.Json.Serialization;

namespace CustomerValue.Segmentation.Custom;

/// <summary>A KPI a custom segment is measured by, with its target.</summary>
public sealed record KpiTarget
{
    /// <summary>One of <see cref="Kpis.KpiMetrics.All"/>, e.g. <c>size</c> or <c>averagePAlive</c>.</summary>
    public required string Metric { get; init; }

    /// <summary>The value to reach.</summary>
    public required double Target { get; init; }

    /// <summary>
    /// <c>atLeast</c> or <c>atMost</c>; when absent, <c>atMost</c> for metrics where less is better
    /// (<c>returnRate</c>, <c>left</c>) and <c>atLeast</c> for the rest.
    /// </summary>
    [JsonPropertyName("comparison")]
    public string? Comparison { get; init; }

    /// <summary>True when <paramref name="value"/> meets the target.</summary>
    public bool IsMet(double value) =>
        (Comparison ?? (Kpis.KpiMetrics.LowerIsBetter(Metric) ? AtMost : AtLeast)) == AtMost ? value <= Target : value >= Target;

    /// <summary>The value must be at least the target.</summary>
    public const string AtLeast = "atLeast";

    /// <summary>The value must be at most the target.</summary>
    public const string AtMost = "atMost";
}
