using CustomerValue.Segmentation.Segments.Rules;

namespace CustomerValue.Segmentation.Segments;

/// <summary>
/// Every built-in segment, in the order they are listed. The recompute, the real-time path, the segment API, the
/// descriptions and the KPIs all read this list, so a new built-in segment is one new rule file plus one line here.
/// </summary>
public static class SegmentRegistry
{
    /// <summary>The built-in rules, value tiers first.</summary>
    public static IReadOnlyList<ISegmentRule> BuiltIn { get; } =
    [
        ValueTierRule.Top20,
        ValueTierRule.Middle60,
        ValueTierRule.Bottom20,
        new MostValuableRule(),
        new RisingRule(),
        new DecliningRule(),
        new DormantRule(),
        new NotWorthInvestingRule(),
        new DueSoonRule(),
        new OverdueRule(),
        new NewCustomersRule(),
        NpsRule.Promoters,
        NpsRule.Passives,
        NpsRule.Detractors,
        new LoyaltyMembersRule(),
    ];

    private static readonly Dictionary<string, ISegmentRule> ByName = BuiltIn.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>True for a built-in name; custom segments may not take one.</summary>
    public static bool IsBuiltIn(string name) => ByName.ContainsKey(name);

    /// <summary>The built-in rule of that name, or null.</summary>
    public static ISegmentRule? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>
    /// The built-in segments a customer belongs to, each with its reason, in registry order. Profiles without a purchase
    /// are only offered the rules that do not need one. With <paramref name="timing"/> only rules of that timing are
    /// evaluated (the real-time path passes <see cref="SegmentTiming.RealTime"/> and keeps the rank-based memberships
    /// of the last run).
    /// </summary>
    public static IReadOnlyList<SegmentMatch> Evaluate(SegmentInput input, SegmentRunContext context, SegmentTiming? timing = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var matches = new List<SegmentMatch>();
        foreach (var rule in BuiltIn)
        {
            if ((timing is null || rule.Timing == timing) && (input.HasPurchased || !rule.RequiresPurchase)
                && rule.Evaluate(input, context) is { } match)
            {
                matches.Add(match);
            }
        }

        return matches;
    }

    /// <summary>
    /// The built-in segment names after a real-time update between recomputes: the rank-based memberships of the last
    /// run kept as the profile holds them (<see cref="SegmentInput.PreviousSegments"/>), the real-time ones decided
    /// anew, with their reasons. Custom segments (all of them real-time) are evaluated beside this.
    /// </summary>
    public static (IReadOnlyList<string> Kept, IReadOnlyList<SegmentMatch> Decided) RealTimeUpdate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        var kept = input.PreviousSegments.Where(s => Find(s) is { Timing: SegmentTiming.RankBased }).ToList();
        return (kept, Evaluate(input, context, SegmentTiming.RealTime));
    }
}
