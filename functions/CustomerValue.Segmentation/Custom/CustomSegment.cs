using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Custom;

/// <summary>A validated custom segment with its compiled rule.</summary>
public sealed class CustomSegment
{
    private CustomSegment(CustomSegmentDefinition definition, CelRule rule)
    {
        Definition = definition;
        Rule = rule;
    }

    /// <summary>The definition as given.</summary>
    public CustomSegmentDefinition Definition { get; }

    /// <summary>The compiled rule.</summary>
    public CelRule Rule { get; }

    /// <summary>The segment name.</summary>
    public string Name => Definition.Name;

    /// <summary>Validates a definition and compiles its rule.</summary>
    /// <exception cref="CustomSegmentException">The definition is refused; every problem is listed.</exception>
    public static CustomSegment Create(CustomSegmentDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = CustomSegmentValidation.Problems(definition, out var rule);
        return problems.Count == 0 ? new CustomSegment(definition, rule!) : throw new CustomSegmentException(problems);
    }

    /// <summary>
    /// The membership of one profile, from its <see cref="ProfileVariables"/>, with the fields the rule read and their
    /// values as the reason (<see cref="CelRule.Explain"/>). Members in the holdout are still members
    /// (KPIs count them) but carry <see cref="SegmentMatch.Holdout"/> so destinations leave them out.
    /// </summary>
    public SegmentMatch? Evaluate(string profileId, IDictionary<string, object?> variables, out string? error)
    {
        ArgumentNullException.ThrowIfNull(profileId);
        var outcome = Rule.Evaluate(variables);
        error = outcome.Error;
        return outcome.IsMember
            ? new SegmentMatch(Name, Rule.Explain(variables)) { Holdout = IsHoldout(Name, profileId, Definition.HoldoutShare) }
            : null;
    }

    /// <summary>
    /// Whether a profile is in a segment's holdout: the draw the destinations use too (<see cref="HoldoutDraw"/>), so the
    /// members the KPIs count as held out are exactly those no destination receives.
    /// </summary>
    public static bool IsHoldout(string segment, string profileId, double share) => HoldoutDraw.IsHeldOut(profileId, segment, share);
}
