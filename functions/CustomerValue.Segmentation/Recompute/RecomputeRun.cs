namespace CustomerValue.Segmentation.Recompute;

/// <summary>The record of one recompute (container <c>runs</c>, id = run id).</summary>
public sealed record RecomputeRun
{
    /// <summary>Run id (<c>run-yyyyMMddTHHmmssZ</c> of the scheduled time).</summary>
    public required string Id { get; init; }

    /// <summary>The run before this one, which entered/left counts and the migration matrix compare with; null for the first.</summary>
    public string? PreviousRunId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run finished.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>How values were estimated.</summary>
    public required string Method { get; init; }

    /// <summary>The model fits behind the values (parameters, status, data size).</summary>
    public Scoring.ModelRunSummary? Model { get; init; }

    /// <summary>Live profiles scanned (redirects excluded).</summary>
    public required int Profiles { get; init; }

    /// <summary>Profiles with at least one purchase, which the tiers rank.</summary>
    public required int Ranked { get; init; }

    /// <summary>Profiles written back because their segments or value changed.</summary>
    public required int Written { get; init; }

    /// <summary>Profiles whose segment membership changed.</summary>
    public required int SegmentChanges { get; init; }

    /// <summary>Segment sizes after the run.</summary>
    public required IReadOnlyList<SegmentSize> Segments { get; init; }

    /// <summary>The profit thresholds of the value tiers, which the real-time path applies between runs.</summary>
    public RunThresholds? Thresholds { get; init; }

    /// <summary>Every segment's KPIs after the run, built-in then custom, custom ones with their targets and whether they are met.</summary>
    public IReadOnlyList<Kpis.SegmentKpis> Kpis { get; init; } = [];

    /// <summary>
    /// Custom segments that could not be used or evaluated: a refused definitions file, a saved definition that became
    /// invalid, a rule that failed on some profiles (they were left out of it).
    /// </summary>
    public IReadOnlyList<string> CustomSegmentProblems { get; init; } = [];

    /// <summary>How many customers and how much predicted CLV moved between value tiers since the previous run.</summary>
    public IReadOnlyList<MigrationFlow> Migrations { get; init; } = [];

    /// <summary>Acquisition channel quality: which channels bring customers worth investing in.</summary>
    public Channels.ChannelQualityTable? Channels { get; init; }

    /// <summary>Where the run's time went (wall clock).</summary>
    public RecomputeTimings? Timings { get; init; }

    /// <summary>
    /// The process's CPU time (all threads) in each phase: what the run cost, steadier than the wall clock on a machine
    /// that other work shares.
    /// </summary>
    public RecomputeTimings? CpuTimings { get; init; }
    /// <summary>How buyers' predicted CLV and P(alive) are spread after the run; null on runs recorded before it was kept.</summary>
    public ValueDistributions? Distributions { get; init; }

    /// <summary>How many profiles named in <see cref="Skipped"/> are listed at most; the count is always complete.</summary>
    public const int MaxSkippedListed = 100;

    /// <summary>Live profiles the run could not value (see <see cref="ProfileReadiness"/>); they keep their previous values.</summary>
    public int SkippedProfiles { get; init; }

    /// <summary>The first <see cref="MaxSkippedListed"/> skipped profiles and why.</summary>
    public IReadOnlyList<SkippedProfile> Skipped { get; init; } = [];
}

/// <summary>Where a run's time went, in seconds (the KPIs, matrix and channel table, before the records are saved).</summary>
/// <param name="Scan">Reading every profile.</param>
/// <param name="Model">Choosing, fitting and scoring the models.</param>
/// <param name="Segments">Ranking and the segment rules, built-in and custom.</param>
/// <param name="WriteBack">Writing back the changed profiles.</param>
/// <param name="Summary">KPIs, the migration matrix and the channel table.</param>
public sealed record RecomputeTimings(double Scan, double Model, double Segments, double WriteBack, double Summary);

/// <summary>A profile a recompute left out, and why.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Reason">What is wrong with its data (no personal data).</param>
public sealed record SkippedProfile(string ProfileId, string Reason);

/// <summary>The value tiers' thresholds of a run, in predicted 12-month profit.</summary>
/// <param name="Top20">The lowest profit in <c>top-20</c>.</param>
/// <param name="Bottom20">The highest profit in <c>bottom-20</c>.</param>
/// <param name="Ranked">Buyers ranked.</param>
public sealed record RunThresholds(decimal? Top20, decimal? Bottom20, int Ranked);

/// <summary>One cell of the tier migration matrix: customers and predicted CLV that moved from one tier to another.</summary>
/// <param name="From">The tier at the previous run, or <c>(new)</c>.</param>
/// <param name="To">The tier now, or <c>(gone)</c>.</param>
/// <param name="Customers">How many customers moved.</param>
/// <param name="PredictedClv">Their predicted CLV now (for <c>(gone)</c>: at the previous run).</param>
public sealed record MigrationFlow(string From, string To, int Customers, decimal PredictedClv);
