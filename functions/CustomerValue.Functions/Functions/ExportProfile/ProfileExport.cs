using CustomerValue.Domain.Profiles;
using CustomerValue.Publishing.Changes;

namespace CustomerValue.Functions.Functions.ExportProfile;

/// <summary>Everything held about one person (a data-subject access request).</summary>
/// <param name="Profile">The profile: identities, every order version kept, consent, NPS, loyalty, engagement, value, segments.</param>
/// <param name="PublishedSegments">The segment memberships destinations have been told about.</param>
/// <param name="MergedProfileIds">Profiles that were folded into this one (they hold nothing themselves).</param>
/// <param name="ExportedAt">When the export was made.</param>
public sealed record ProfileExport(CustomerProfile Profile, PublishedMembership? PublishedSegments, IReadOnlyList<string> MergedProfileIds, DateTimeOffset ExportedAt);
