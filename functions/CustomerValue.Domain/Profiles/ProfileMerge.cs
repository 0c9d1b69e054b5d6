namespace CustomerValue.Domain.Profiles;

/// <summary>A record that another profile was folded into this one.</summary>
/// <param name="MergedProfileId">The id that now redirects here.</param>
/// <param name="MergedAt">When the merge happened.</param>
/// <param name="Reason">Which identity linked the two, e.g. <c>email</c> or <c>phone</c>.</param>
public sealed record ProfileMerge(string MergedProfileId, DateTimeOffset MergedAt, string Reason);
