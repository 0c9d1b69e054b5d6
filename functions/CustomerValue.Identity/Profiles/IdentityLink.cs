using CustomerValue.Domain.Identities;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// The lookup document that maps one identity to its profile (container <c>identities</c>, partition key = id).
/// E-mail and phone appear here only as a keyed hash (see <see cref="IdentityLookupIds"/>).
/// </summary>
/// <param name="Id">The identity's lookup id.</param>
/// <param name="ProfileId">The profile the identity belongs to (may be a redirect after a merge).</param>
/// <param name="Kind">Which kind of identity it is.</param>
public sealed record IdentityLink(string Id, string ProfileId, IdentityKind Kind);
