using CustomerValue.Domain.Profiles;

namespace CustomerValue.Segmentation.Queries;

/// <summary>
/// One page of a segment's members. A page holds at most the limit asked for and may hold fewer, even none, while
/// more follow: keep asking with <see cref="ContinuationToken"/> until it is null.
/// </summary>
/// <param name="Segment">The segment.</param>
/// <param name="Members">Members in this page.</param>
/// <param name="ContinuationToken">Pass as <c>continuationToken</c> for the next page; null after the last.</param>
public sealed record SegmentMembersPage(string Segment, IReadOnlyList<SegmentMember> Members, string? ContinuationToken);

/// <summary>A member with its value fields.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Reason">Why the customer is a member (the values and thresholds that decided it).</param>
/// <param name="Value">The customer's value fields as the last recompute or real-time rescore left them.</param>
/// <param name="Segments">Every segment the customer is in.</param>
public sealed record SegmentMember(string ProfileId, string? Reason, CustomerValueScore? Value, IReadOnlyList<string> Segments);
