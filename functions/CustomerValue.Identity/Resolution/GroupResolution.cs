namespace CustomerValue.Identity.Resolution;

/// <summary>What applying one person's records together did.</summary>
/// <param name="Result">The profile they now belong to, whether it was created, and the merges they caused.</param>
/// <param name="RecordChanged">Per record, in the order given: whether it changed the profile.</param>
internal sealed record GroupResolution(ResolutionResult Result, bool[] RecordChanged);
