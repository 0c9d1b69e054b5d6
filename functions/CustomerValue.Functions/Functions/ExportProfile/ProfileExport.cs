using CustomerValue.Domain.Profiles;
using CustomerValue.Publishing.Changes;

namespace CustomerValue.Functions.Functions.ExportProfile;

/// <summary>Everything held about one person (a data-subject access request).</summary>
/// <param name="Profile">The profile: identities, order totals, consent, NPS, loyalty, engagement, value, segments.</param>
/// <param name="PublishedSegments">The segment memberships destinations have been told about.</param>
/// <param name="MergedProfileIds">Profiles that were folded into this one (they hold nothing themselves).</param>
/// <param name="ExportedAt">When the export was made.</param>
/// <param name="Orders">Every order kept for the person, each in its latest version with its refunds.</param>
public sealed record ProfileExport(CustomerProfile Profile, PublishedMembership? PublishedSegments, IReadOnlyList<string> MergedProfileIds, DateTimeOffset ExportedAt, IReadOnlyList<OrderRecord> Orders);
