using CustomerValue.Domain.Profiles;

namespace CustomerValue.Identity.Profiles;

/// <summary>
/// Fields derived from a profile's facts that must change in the same write as the facts (the real-time value and
/// segments): <see cref="ProfileRepository.UpdateAsync"/> asks for a refresh before each read-modify-write and applies it
/// to every version it writes. Implemented outside identity (the server wires the segmentation's real-time path).
/// </summary>
public interface IProfileRefresher
{
    /// <summary>
    /// The refresh for one write, applied to the version about to be written (it may run several times on ETag
    /// conflicts, so it must have no side effects); null when there is nothing to refresh.
    /// </summary>
    ValueTask<Func<CustomerProfile, CustomerProfile>?> PrepareAsync(CancellationToken cancellationToken);
}
