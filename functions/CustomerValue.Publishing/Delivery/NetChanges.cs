using CustomerValue.Domain.Segments;

namespace CustomerValue.Publishing.Delivery;

/// <summary>The net effect of a batch on one segment's audience: who is to be added and who removed.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Joined">People to add (their latest change was a join).</param>
/// <param name="Left">People to remove (their latest change was a leave).</param>
public sealed record NetChanges(string Segment, IReadOnlyList<OutboundChange> Joined, IReadOnlyList<OutboundChange> Left)
{
    /// <summary>
    /// Per segment, each person's latest change only: a join followed by a leave in one batch sends a removal, not
    /// both, so adds and removes can go in separate requests without their order mattering.
    /// </summary>
    public static IReadOnlyList<NetChanges> BySegment(IEnumerable<OutboundChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return [.. changes
            .GroupBy(c => c.Change.Segment, StringComparer.Ordinal)
            .Select(segment =>
            {
                var latest = segment.GroupBy(c => c.Change.ProfileId, StringComparer.Ordinal).Select(p => p.Last()).ToList();
                return new NetChanges(segment.Key,
                    [.. latest.Where(c => c.Change.Kind == SegmentChangeKind.Joined)],
                    [.. latest.Where(c => c.Change.Kind == SegmentChangeKind.Left)]);
            })];
    }
}
