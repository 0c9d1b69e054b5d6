using System.Globalization;
using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.RealTime;

/// <summary>
/// Segments between recomputes. When an order, refund or event changes a profile, the write that stores the change
/// also rescores the customer with the last run's fitted parameters (<see cref="LastFit"/>, no refit) and decides anew
/// every segment that depends only on that profile, with the last run's tier thresholds: the real-time built-in
/// segments (<see cref="SegmentTiming.RealTime"/>) and every custom segment. Rank-based memberships (the tiers,
/// <c>rising</c>, <c>declining</c>) stay as the last run left them. The change feed then publishes the change within
/// seconds. Before the first recompute there is nothing to rescore against and profiles are left as they are.
/// </summary>
public sealed class RealTimeSegments(RunQueries runs, TimeProvider clock, SegmentOptions segmentOptions, ValueOptions valueOptions, CustomSegmentCatalog? customSegments = null)
{
    /// <summary>How long the last run's state is reused before the latest run is looked up again (one point read).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private volatile RunState? _state;

    /// <summary>
    /// Prepares a refresh for one write: the returned function rescores and resegments the version about to be
    /// written (it may run several times on ETag conflicts and has no side effects); null before the first recompute.
    /// </summary>
    public async ValueTask<Func<CustomerProfile, CustomerProfile>?> PrepareAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var state = _state;
        if (state is null || now - state.LoadedAt > RefreshInterval)
        {
            state = await LoadAsync(state, now, cancellationToken).ConfigureAwait(false);
            _state = state;
        }

        return state.Fit is null ? null : profile => Refresh(profile, state, clock.GetUtcNow());
    }

    /// <summary>Forgets the cached run state, so the next write reads the latest run (after a recompute, in tests).</summary>
    public void Invalidate() => _state = null;

    private async Task<RunState> LoadAsync(RunState? cached, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var custom = customSegments is null ? CustomSegmentSet.Empty : await customSegments.LoadAsync(cancellationToken).ConfigureAwait(false);
        var run = await runs.LatestAsync(cancellationToken).ConfigureAwait(false);
        if (run is null)
        {
            return new RunState(now, null, null, TierThresholds.None, new CustomSegmentEvaluator([]));
        }

        var fit = cached?.Fit is { } known && known.RunId == run.Id ? known : LastFit.Of(run);
        var thresholds = run.Thresholds is { } t ? TierThresholds.Stored(t.Top20, t.Bottom20, t.Ranked) : TierThresholds.None;
        var evaluator = cached is not null && cached.Evaluator.Segments.SequenceEqual(custom.Segments) ? cached.Evaluator : new CustomSegmentEvaluator(custom.Segments);
        return new RunState(now, run.Id, fit, thresholds, evaluator);
    }

    /// <summary>The profile rescored and resegmented as of <paramref name="now"/>.</summary>
    private CustomerProfile Refresh(CustomerProfile profile, RunState state, DateTimeOffset now)
    {
        if (profile.IsRedirect || profile.IsErased)
        {
            return profile;
        }

        var previous = profile.Value;
        var score = state.Fit!.Score(profile, now) with
        {
            RescoredAt = now,
            RunPredictedClv = previous is null ? null : previous.RunPredictedClv ?? previous.PredictedClv,
        };
        var context = new SegmentRunContext { AsOf = now, Thresholds = state.Thresholds, Segments = segmentOptions, Value = valueOptions };
        var input = SegmentInputs.FromProfile(profile, score, now);
        var (kept, decided) = SegmentRegistry.RealTimeUpdate(input, context);
        var builtIn = kept.Concat(decided.Select(m => m.Segment)).ToList();
        var custom = state.Evaluator.Evaluate(profile.Id, state.Evaluator.Capture(profile), score, builtIn, now);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var segment in kept)
        {
            if (profile.SegmentReasons?.GetValueOrDefault(segment) is { } reason)
            {
                reasons[segment] = reason;
            }
        }

        foreach (var match in decided.Concat(custom))
        {
            reasons[match.Segment] = match.Reason;
        }

        var segments = builtIn.Concat(custom.Select(m => m.Segment)).Order(StringComparer.Ordinal).ToList();
        if (!segments.SequenceEqual(profile.Segments, StringComparer.Ordinal))
        {
            profile.Segments = segments;
            profile.SegmentsRunId = DecisionId(state.RunId!, now);
        }

        profile.SegmentReasons = reasons;
        profile.Value = score;
        return profile;
    }

    /// <summary>
    /// The decision id of a real-time change: the last run's id with the time appended, so decisions sort after that run
    /// and before the next (publishing drops decisions older than the one it published) and each gets its own event ids.
    /// </summary>
    public static string DecisionId(string runId, DateTimeOffset at) =>
        runId + "+rt-" + at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed record RunState(DateTimeOffset LoadedAt, string? RunId, LastFit? Fit, TierThresholds Thresholds, CustomSegmentEvaluator Evaluator);
}
