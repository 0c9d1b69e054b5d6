using System.Globalization;
using System.Text.RegularExpressions;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Custom;

/// <summary>The checks a custom segment definition must pass, shared by the definitions file and the API.</summary>
public static partial class CustomSegmentValidation
{
    /// <summary>The largest holdout share: beyond half, the segment would mostly measure, not act.</summary>
    public const double MaxHoldoutShare = 0.5;

    /// <summary>Every problem of a definition (empty when it is valid), and its compiled rule when the rule is valid.</summary>
    public static IReadOnlyList<string> Problems(CustomSegmentDefinition definition, out CelRule? rule) => Problems(definition, out rule, out _);

    /// <summary>
    /// Every problem of a definition, its compiled rule when valid, and otherwise the rule's refusal with its line and
    /// column (what an API answer points at).
    /// </summary>
    public static IReadOnlyList<string> Problems(CustomSegmentDefinition definition, out CelRule? rule, out RuleException? ruleError)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = new List<string>();
        rule = null;
        ruleError = null;
        if (string.IsNullOrEmpty(definition.Name) || !NamePattern().IsMatch(definition.Name))
        {
            problems.Add("name: use 1 to 64 lower-case letters, digits and hyphens, starting with a letter or digit");
        }
        else if (SegmentRegistry.IsBuiltIn(definition.Name))
        {
            problems.Add($"name: '{definition.Name}' is a built-in segment and cannot be redefined");
        }

        if (string.IsNullOrWhiteSpace(definition.Goal))
        {
            problems.Add("goal: say in words what the segment is meant to achieve");
        }

        try
        {
            rule = CelRule.Compile(definition.Rule);
        }
        catch (RuleException ex)
        {
            ruleError = ex;
            problems.Add("rule: " + ex.Message);
        }

        for (var i = 0; i < definition.Kpis.Count; i++)
        {
            var kpi = definition.Kpis[i];
            if (kpi is null || !KpiMetrics.All.Contains(kpi.Metric))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"kpis[{i}].metric: '{kpi?.Metric}' is not one of {string.Join(", ", KpiMetrics.All)}"));
            }
            else if (!double.IsFinite(kpi.Target))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"kpis[{i}].target: must be a finite number"));
            }
            else if (kpi.Comparison is not (null or KpiTarget.AtLeast or KpiTarget.AtMost))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"kpis[{i}].comparison: '{kpi.Comparison}' is neither {KpiTarget.AtLeast} nor {KpiTarget.AtMost}"));
            }
        }

        for (var i = 0; i < definition.Destinations.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(definition.Destinations[i]))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"destinations[{i}]: empty destination name"));
            }
        }

        if (!(definition.HoldoutShare >= 0 && definition.HoldoutShare <= MaxHoldoutShare))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"holdoutShare: must be between 0 and {MaxHoldoutShare}"));
        }

        return problems;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
