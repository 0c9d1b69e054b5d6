using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Identity.Resolution;

/// <summary>
/// What one <see cref="ProfileResolver.ApplyAsync"/> call has already read, so that the common case — a known person
/// whose identities all point at one live profile — costs one read per identity and one read-modify-write of the
/// profile, instead of re-reading every link and redirect at each step.
/// <para>
/// Remembering is safe because nothing the resolver decides from a remembered read is written unconditionally: links
/// are created or replaced by ETag, profiles are updated by ETag, so a read that went stale fails its write and the
/// step is retried on fresh reads. Whatever can invalidate a remembered fact on our own side (a merge, a refused
/// write, a target that turned into a redirect) calls <see cref="Forget"/>.
/// </para>
/// </summary>
internal sealed class ResolutionMemo
{
    private readonly Dictionary<string, string?> _liveIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredDocument<IdentityLink>?> _links = new(StringComparer.Ordinal);

    /// <summary>The live profile an id was found to resolve to (null: no profile), if known.</summary>
    public bool TryGetLive(string profileId, out string? liveId) => _liveIds.TryGetValue(profileId, out liveId);

    /// <summary>Remembers where a profile id resolves to.</summary>
    public void RememberLive(string profileId, string? liveId) => _liveIds[profileId] = liveId;

    /// <summary>Remembers the link read for an identity (null: none existed).</summary>
    public void RememberLink(string lookupId, StoredDocument<IdentityLink>? link) => _links[lookupId] = link;

    /// <summary>Hands out a remembered link read once; a second attempt at the same identity reads it afresh.</summary>
    public bool TryTakeLink(string lookupId, out StoredDocument<IdentityLink>? link) => _links.Remove(lookupId, out link);

    /// <summary>
    /// Where <paramref name="profileId"/> lives now (see <see cref="ProfileRepository.FollowRedirectsAsync"/>), answered
    /// from <paramref name="memo"/> when it knows and remembered in it otherwise.
    /// </summary>
    public static async Task<string?> FollowRedirectsAsync(ProfileRepository profiles, string profileId, ResolutionMemo? memo, CancellationToken cancellationToken)
    {
        if (memo is not null && memo.TryGetLive(profileId, out var known))
        {
            return known;
        }

        var live = await profiles.FollowRedirectsAsync(profileId, cancellationToken);
        memo?.RememberLive(profileId, live);
        if (live is not null)
        {
            memo?.RememberLive(live, live);
        }

        return live;
    }

    /// <summary>Drops everything: profiles may have been merged or links re-pointed since they were read.</summary>
    public void Forget()
    {
        _liveIds.Clear();
        _links.Clear();
    }
}
