using System.Globalization;

namespace CustomerValue.Models.Summaries;

/// <summary>
/// The input rules of the customer-base models (as lifetimes checks them): frequency a whole number ≥ 0;
/// recency and T finite and ≥ 0; recency ≤ T; recency = 0 when frequency = 0; for spend models a positive monetary
/// value for every customer with a repeat purchase.
/// </summary>
public static class SummaryValidator
{
    private const double Slack = 1e-9;

    /// <summary>Lists every broken rule (row numbers are 1-based positions in <paramref name="summaries"/>).</summary>
    public static IReadOnlyList<InputIssue> Check(IReadOnlyList<CustomerSummary> summaries, bool requirePositiveMonetaryValue = false)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var issues = new List<InputIssue>();
        for (int i = 0; i < summaries.Count; i++)
        {
            var s = summaries[i];
            if (s is null)
            {
                issues.Add(new InputIssue(i + 1, null, "summary is missing (null)"));
                continue;
            }

            if (IsValid(s.ToRow(), requirePositiveMonetaryValue))
            {
                continue;
            }

            foreach (string message in Problems(s.ToRow(), requirePositiveMonetaryValue))
            {
                issues.Add(new InputIssue(i + 1, s.Id, message));
            }
        }

        return issues;
    }

    /// <summary>Lists every broken rule of id-less rows (row numbers are 1-based positions).</summary>
    public static IReadOnlyList<InputIssue> Check(ReadOnlySpan<SummaryRow> rows, bool requirePositiveMonetaryValue = false)
    {
        var issues = new List<InputIssue>();
        for (int i = 0; i < rows.Length; i++)
        {
            if (IsValid(rows[i], requirePositiveMonetaryValue))
            {
                continue;
            }

            foreach (string message in Problems(rows[i], requirePositiveMonetaryValue))
            {
                issues.Add(new InputIssue(i + 1, null, message));
            }
        }

        return issues;
    }

    /// <summary>Throws <see cref="ModelInputException"/> listing every broken rule, if any.</summary>
    public static void ThrowIfInvalid(IReadOnlyList<CustomerSummary> summaries, bool requirePositiveMonetaryValue = false)
    {
        var issues = Check(summaries, requirePositiveMonetaryValue);
        if (issues.Count > 0)
        {
            throw new ModelInputException(issues);
        }
    }

    /// <summary>Throws <see cref="ModelInputException"/> listing every broken rule, if any.</summary>
    public static void ThrowIfInvalid(ReadOnlySpan<SummaryRow> rows, bool requirePositiveMonetaryValue = false)
    {
        var issues = Check(rows, requirePositiveMonetaryValue);
        if (issues.Count > 0)
        {
            throw new ModelInputException(issues);
        }
    }

    private static bool IsValid(SummaryRow s, bool requirePositiveMonetaryValue) =>
        s.Frequency >= 0 && double.IsFinite(s.Frequency) && s.Frequency == Math.Floor(s.Frequency)
        && s.Recency >= 0 && double.IsFinite(s.Recency)
        && s.T >= 0 && double.IsFinite(s.T)
        && s.Recency <= s.T + Slack
        && (s.Frequency > 0 || s.Recency == 0)
        && s.MonetaryValue >= 0 && double.IsFinite(s.MonetaryValue)
        && (!requirePositiveMonetaryValue || s.Frequency == 0 || s.MonetaryValue > 0);

    private static List<string> Problems(SummaryRow s, bool requirePositiveMonetaryValue)
    {
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>(0);
        if (!double.IsFinite(s.Frequency) || s.Frequency < 0 || s.Frequency != Math.Floor(s.Frequency))
        {
            problems.Add(string.Format(c, "frequency {0} must be a whole number >= 0", s.Frequency));
        }

        if (!double.IsFinite(s.Recency) || s.Recency < 0)
        {
            problems.Add(string.Format(c, "recency {0} must be a finite number >= 0", s.Recency));
        }

        if (!double.IsFinite(s.T) || s.T < 0)
        {
            problems.Add(string.Format(c, "T {0} must be a finite number >= 0", s.T));
        }

        if (s.Recency > s.T + Slack)
        {
            problems.Add(string.Format(c, "recency {0} is greater than T {1} (the last purchase cannot be after the calibration end)", s.Recency, s.T));
        }

        if (s.Frequency == 0 && s.Recency != 0)
        {
            problems.Add(string.Format(c, "recency {0} must be 0 when frequency is 0", s.Recency));
        }

        if (!double.IsFinite(s.MonetaryValue) || s.MonetaryValue < 0)
        {
            problems.Add(string.Format(c, "monetary value {0} must be a finite number >= 0", s.MonetaryValue));
        }
        else if (requirePositiveMonetaryValue && s.Frequency > 0 && s.MonetaryValue <= 0)
        {
            problems.Add(string.Format(c, "monetary value {0} must be > 0 for a customer with repeat purchases (Gamma-Gamma spend model)", s.MonetaryValue));
        }

        return problems;
    }
}
