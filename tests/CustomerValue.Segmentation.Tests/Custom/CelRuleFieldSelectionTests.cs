using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Custom;

namespace CustomerValue.Segmentation.Tests.Custom;

/// <summary>
/// Rules that select fields (<c>value.predictedClv</c>): a rule without macro variables has such paths answered from its
/// variables, skipping the CEL library's own search. Each verdict and error is compared with the same rule inside a list
/// macro (<c>[0].all(unused, …)</c>), which binds a variable and so is left wholly to the library.
/// </summary>
public sealed class CelRuleFieldSelectionTests
{
    [Theory]
    [InlineData("value != null && value.predictedClv >= 300", true)]
    [InlineData("value.predictedClv < 300", false)]
    [InlineData("value.predictedClv >= 300 && engagement.channels.size() == 0", true)]
    [InlineData("nps != null && nps.score <= 6", false)]
    [InlineData("nps.score <= 6", false)]
    [InlineData("value.predictedClv > 1 && nps.score <= 6", false)]
    [InlineData("value.predictedClv > 1 || nps.score <= 6", true)]
    [InlineData("has(value.predictedClv) && !has(nps.score)", true)]
    public void Evaluate_RulesThatSelectFields_GiveTheLibrarysVerdictsAndErrors(string text, bool member)
    {
        var rule = CelRule.Compile(text);
        var profile = new CustomerProfile
        {
            Id = "p",
            OrderTotals = OrderTotals.Of([new OrderRecord { OrderKey = "o1", PlacedAt = DateTimeOffset.UnixEpoch, VersionAt = DateTimeOffset.UnixEpoch, Gross = 70m, Channel = SalesChannel.Online }]),
            Value = new CustomerValueScore { RunId = "run-1", Method = "bgnbd+gammagamma", PredictedClv = 450m },
        };
        var variables = ProfileVariables.Of(profile, DateTimeOffset.UnixEpoch, []);

        var outcome = rule.Evaluate(new Dictionary<string, object?>(variables, StringComparer.Ordinal));
        var library = CelRule.Compile($"[0].all(unused, {text})").Evaluate(new Dictionary<string, object?>(variables, StringComparer.Ordinal));

        Assert.Equal(member, outcome.IsMember);
        Assert.Equal(library.IsMember, outcome.IsMember);
        Assert.Equal(library.Error is null, outcome.Error is null);
    }
}
