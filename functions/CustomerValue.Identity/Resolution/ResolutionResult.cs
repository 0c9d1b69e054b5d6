namespace CustomerValue.Identity.Resolution;

/// <summary>What applying one record to the profiles did.</summary>
/// <param name="ProfileId">The profile the record now belongs to.</param>
/// <param name="Created">A new profile was created for it.</param>
/// <param name="Changed">The profile changed (false for a duplicate or stale record).</param>
/// <param name="MergedProfileIds">Profiles folded into <paramref name="ProfileId"/> because the record linked them.</param>
public sealed record ResolutionResult(string ProfileId, bool Created, bool Changed, IReadOnlyList<string> MergedProfileIds);
