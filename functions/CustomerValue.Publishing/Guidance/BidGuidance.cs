namespace CustomerValue.Publishing.Guidance;

/// <summary>A segment's figures from the latest recompute, as guidance needs them.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Members">Members.</param>
/// <param name="AveragePredictedClv">Mean predicted 12-month CLV (null when none is modelled).</param>
public sealed record SegmentFigures(string Segment, int Members, decimal? AveragePredictedClv);

/// <summary>An acquisition channel's figures and verdict from the latest recompute.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Customers">Buyers acquired through it.</param>
/// <param name="AveragePredictedProfit">Their mean predicted profit.</param>
/// <param name="Verdict"><c>invest</c>, <c>keep</c>, <c>reduce</c> or not enough data.</param>
public sealed record ChannelFigures(string Channel, int Customers, decimal AveragePredictedProfit, string? Verdict);

/// <summary>Guidance for one segment.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Members">Members.</param>
/// <param name="AveragePredictedProfit">Mean predicted 12-month profit per member: predicted CLV × gross margin.</param>
/// <param name="MaxCostPerMember">The most worth paying to acquire or retain one member: profit × target ratio, never below 0.</param>
/// <param name="BidAdjustment">Suggested bid change relative to the average customer (0.25 = bid 25 % more), within [−0.9, +3].</param>
/// <param name="Advice">One line a marketer can act on.</param>
public sealed record SegmentGuidance(string Segment, int Members, decimal AveragePredictedProfit, decimal MaxCostPerMember, double BidAdjustment, string Advice);

/// <summary>Guidance for one acquisition channel.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Verdict">Its verdict from the channel-quality figures.</param>
/// <param name="BudgetShift">Suggested change of its budget as a share of its current budget (−0.2) or, for channels to invest in, the share of the freed budget it should receive (+0.6).</param>
/// <param name="Advice">One line.</param>
public sealed record ChannelGuidance(string Channel, string? Verdict, double BudgetShift, string Advice);

/// <summary>
/// Bid and budget guidance: never starve valuable customers of budget, spend little on those not worth it.
/// Per segment the most worth paying per member is its mean predicted profit × <c>Guidance:TargetRatio</c> (default
/// 0.3: pay at most 30 % of the profit a customer is expected to bring), and the bid adjustment is the segment's mean
/// predicted CLV over the mean of all valued customers, minus one. Per channel, each <c>reduce</c> channel gives up
/// <c>Guidance:BudgetShift</c> (default 20 %) of its budget, shared among the <c>invest</c> channels in proportion to the
/// predicted profit they bring (customers × mean predicted profit).
/// </summary>
public static class BidGuidance
{
    /// <summary>Bounds of the bid adjustment: never bid a segment to nothing, never more than four times the average.</summary>
    public const double MinAdjustment = -0.9;

    /// <summary>Upper bound of the bid adjustment.</summary>
    public const double MaxAdjustment = 3.0;

    /// <summary>Guidance per segment.</summary>
    public static IReadOnlyList<SegmentGuidance> ForSegments(IEnumerable<SegmentFigures> segments, decimal averagePredictedClv, decimal grossMargin, decimal targetRatio)
    {
        ArgumentNullException.ThrowIfNull(segments);
        return [.. segments.Where(s => s.Members > 0 && s.AveragePredictedClv is not null).Select(s =>
        {
            var profit = Math.Round(s.AveragePredictedClv!.Value * grossMargin, 2);
            var maxCost = Math.Round(Math.Max(0m, profit * targetRatio), 2);
            var adjustment = averagePredictedClv <= 0 ? 0 : Math.Clamp((double)(s.AveragePredictedClv.Value / averagePredictedClv) - 1, MinAdjustment, MaxAdjustment);
            var advice = profit <= 0
                ? "exclude from paid acquisition and retention: no profit expected"
                : adjustment >= 0.2 ? $"bid up {adjustment:P0}; spend up to {maxCost} per member"
                : adjustment <= -0.2 ? $"bid down {-adjustment:P0}; spend at most {maxCost} per member"
                : $"bid as for the average customer; spend up to {maxCost} per member";
            return new SegmentGuidance(s.Segment, s.Members, profit, maxCost, Math.Round(adjustment, 3), advice);
        })];
    }

    /// <summary>Guidance per acquisition channel.</summary>
    public static IReadOnlyList<ChannelGuidance> ForChannels(IEnumerable<ChannelFigures> channels, double shiftShare)
    {
        ArgumentNullException.ThrowIfNull(channels);
        var list = channels.ToList();
        var invest = list.Where(c => c.Verdict == "invest").ToList();
        var weights = invest.ToDictionary(c => c.Channel, c => Math.Max(0.0, c.Customers * (double)c.AveragePredictedProfit));
        var total = weights.Values.Sum();
        var anyReduce = list.Any(c => c.Verdict == "reduce");
        return [.. list.Select(c => c.Verdict switch
        {
            "reduce" => new ChannelGuidance(c.Channel, c.Verdict, -shiftShare, invest.Count > 0
                ? $"move {shiftShare:P0} of its budget to the invest channels"
                : $"cut {shiftShare:P0} of its budget"),
            "invest" when anyReduce => new ChannelGuidance(c.Channel, c.Verdict, total > 0 ? Math.Round(weights[c.Channel] / total, 3) : Math.Round(1.0 / invest.Count, 3),
                $"receive {(total > 0 ? weights[c.Channel] / total : 1.0 / invest.Count):P0} of the budget freed from reduce channels"),
            "invest" => new ChannelGuidance(c.Channel, c.Verdict, 0, "keep funding fully; first in line for new budget"),
            _ => new ChannelGuidance(c.Channel, c.Verdict, 0, "keep its budget"),
        })];
    }
}
