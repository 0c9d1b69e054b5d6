using System.Security.Cryptography;
using System.Text;
using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;

namespace CustomerValue.Publishing.Changes;

/// <summary>Turns "published before" and "member now" into joined/left events with deterministic ids.</summary>
public static class SegmentDiff
{
    /// <summary>
    /// The events that bring destinations from <paramref name="published"/> to the profile's current segments.
    /// A redirect (merged profile) has no segments, so its memberships are all left.
    /// </summary>
    public static IReadOnlyList<SegmentChange> Between(IReadOnlyCollection<string> published, CustomerProfile profile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(profile);
        IReadOnlyCollection<string> current = profile.IsRedirect || profile.IsErased ? [] : profile.Segments;
        var runId = profile.SegmentsRunId;
        var left = published.Except(current, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(s => Change(SegmentChangeKind.Left, s, profile, runId, now));
        var joined = current.Except(published, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(s => Change(SegmentChangeKind.Joined, s, profile, runId, now));
        return [.. left, .. joined];
    }

    /// <summary>Deterministic event id: the same decision always yields the same id, so repeats can be dropped.</summary>
    public static string EventId(string profileId, string segment, SegmentChangeKind kind, string? runId) =>
        "sc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{profileId}|{segment}|{kind}|{runId}")))[..32];

    /// <summary>
    /// The event for one destination's membership change. Its id names the version of the record of what destinations
    /// were told (<paramref name="toldVersion"/>, its ETag; null before the first), from which the change was worked out:
    /// <list type="bullet">
    /// <item>a batch redelivered because recording failed works the change out from the same record, so it queues it
    /// again under the same id, even if the profile was written again meanwhile;</item>
    /// <item>a person who leaves and rejoins within one run (consent withdrawn, then given again) gets new ids, because
    /// each change was recorded in between.</item>
    /// </list>
    /// </summary>
    public static SegmentChange ForDestination(SegmentChangeKind kind, string segment, CustomerProfile profile, string? toldVersion, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Change(kind, segment, profile, profile.SegmentsRunId, now, EventId(profile.Id, segment, kind, "told:" + (toldVersion ?? "none")));
    }

    private static SegmentChange Change(SegmentChangeKind kind, string segment, CustomerProfile profile, string? runId, DateTimeOffset now, string? eventId = null) => new()
    {
        // Hashed once: a fan-out computes one id per change and destination.
        EventId = eventId ?? EventId(profile.Id, segment, kind, runId),
        Kind = kind,
        Segment = segment,
        ProfileId = profile.Id,
        RunId = runId,
        OccurredAt = now,
        PredictedClv = profile.Value?.PredictedClv,
        Reason = kind == SegmentChangeKind.Joined && profile.SegmentReasons?.TryGetValue(segment, out var reason) == true ? reason : null,
    };
}
