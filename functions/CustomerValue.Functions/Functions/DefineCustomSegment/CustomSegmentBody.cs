using CustomerValue.Segmentation.Custom;

namespace CustomerValue.Functions.Functions.DefineCustomSegment;

/// <summary>
/// The body of <c>PUT api/segments/{name}</c>:
/// <c>{"goal": "...", "rule": "...", "kpis": [{"metric": "size", "target": 500}], "destinations": ["meta"], "holdoutShare": 0.05}</c>.
/// Every field is optional here so that a missing one is reported with the others rather than as a parse error.
/// </summary>
public sealed record CustomSegmentBody
{
    /// <summary>May be given; must then equal the name in the route.</summary>
    public string? Name { get; init; }

    /// <summary>The goal in words.</summary>
    public string? Goal { get; init; }

    /// <summary>The CEL rule.</summary>
    public string? Rule { get; init; }

    /// <summary>KPIs with targets.</summary>
    public IReadOnlyList<KpiTarget>? Kpis { get; init; }

    /// <summary>Destinations.</summary>
    public IReadOnlyList<string>? Destinations { get; init; }

    /// <summary>Holdout share, 0 to 0.5.</summary>
    public double? HoldoutShare { get; init; }

    /// <summary>The definition under the route's name.</summary>
    public CustomSegmentDefinition ToDefinition(string name) => new()
    {
        Name = name,
        Goal = Goal ?? "",
        Rule = Rule ?? "",
        Kpis = Kpis ?? [],
        Destinations = Destinations ?? [],
        HoldoutShare = HoldoutShare ?? 0,
    };
}

/// <summary>Why a custom segment was refused; nothing was stored.</summary>
/// <param name="Error">What was wrong, in words.</param>
/// <param name="Details">Every problem, each naming its field (e.g. <c>rule: line 1, column 7: unknown field 'valu'</c>).</param>
/// <param name="Position">Where in the rule the first rule problem is; null when the rule is fine.</param>
public sealed record SegmentRefusal(string Error, IReadOnlyList<string> Details, RulePosition? Position = null);

/// <summary>A position in a rule's text.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Problem">What is wrong there.</param>
public sealed record RulePosition(int Line, int Column, string? Problem);
