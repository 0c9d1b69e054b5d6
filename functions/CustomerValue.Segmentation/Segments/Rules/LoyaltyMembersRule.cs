using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary><c>loyalty-members</c>: the latest loyalty-programme state is active. No purchase needed.</summary>
public sealed class LoyaltyMembersRule : ISegmentRule
{
    public string Name => SegmentNames.LoyaltyMembers;

    public string Description => "Active loyalty-programme members: reachable with member offers.";

    public string Definition => "the latest loyalty-programme state is active";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => false;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.LoyaltyMember ? new SegmentMatch(Name, $"loyalty {input.LoyaltyProgram ?? "member"} active") : null;
    }
}
