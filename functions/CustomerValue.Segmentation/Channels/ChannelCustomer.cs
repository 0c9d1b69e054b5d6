using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Channels;

/// <summary>What the channel table needs of one buyer.</summary>
/// <param name="AcquisitionChannel">First-touch acquisition channel; null when no purchase names one.</param>
/// <param name="NetRevenue">Net revenue to date.</param>
/// <param name="GrossRevenue">Gross revenue to date.</param>
/// <param name="Refunds">Refunds and returns to date.</param>
/// <param name="PredictedClv">Predicted 12-month CLV (0 when the models did not value the customer).</param>
/// <param name="PredictedProfit">Predicted 12-month profit (<see cref="Segments.PredictedProfit"/>).</param>
/// <param name="PAlive">P(alive), if modelled.</param>
/// <param name="InTop20">True when the run put the customer in <c>top-20</c>.</param>
/// <param name="NotWorthInvesting">True when the run put the customer in <c>not-worth-investing</c>.</param>
public sealed record ChannelCustomer(
    string? AcquisitionChannel, decimal NetRevenue, decimal GrossRevenue, decimal Refunds, decimal PredictedClv, decimal PredictedProfit,
    double? PAlive, bool InTop20, bool NotWorthInvesting)
{
    /// <summary>A buyer as the run decided them.</summary>
    public static ChannelCustomer From(SegmentInput input, SegmentRunContext context, IEnumerable<string> segments)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(segments);
        var names = segments as IReadOnlyCollection<string> ?? [.. segments];
        return new ChannelCustomer(input.AcquisitionChannel, input.NetRevenue, input.GrossRevenue, input.Refunds, input.PredictedClv ?? 0m,
            context.ProfitOf(input), input.PAlive, names.Contains(SegmentNames.Top20), names.Contains(SegmentNames.NotWorthInvesting));
    }
}
