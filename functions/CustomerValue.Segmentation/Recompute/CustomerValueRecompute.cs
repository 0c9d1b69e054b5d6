using System.Globalization;
using System.Runtime.InteropServices;
using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Models.Summaries;
using CustomerValue.Segmentation.Scoring;
using CustomerValue.Segmentation.Channels;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Kpis;
using CustomerValue.Segmentation.Migrations;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// The scheduled recompute: scans every live profile, scores it, assigns segments, and writes back only the
/// profiles whose segments or value materially changed — each such write is a change-feed entry that
/// PublishSegmentChanges turns into joined/left events. Writes replace the version just read (ETag checked) and touch
/// only the value and segment fields; a profile changed since is re-read first, so orders ingested while the run is
/// under way are never overwritten.
/// </summary>
public sealed class CustomerValueRecompute(
    IDocumentStore store, TimeProvider clock, ILogger<CustomerValueRecompute> logger, SegmentOptions? segmentOptions = null, ValueOptions? valueOptions = null,
    CustomSegmentCatalog? customSegments = null)
{
    private const int ScanPageSize = 2_000;

    /// <summary>
    /// Called at the end of the first pass, the fit and the second pass, while that phase's state is still held (the
    /// benchmark measures what each holds); null by default.
    /// </summary>
    public Action<string>? PhaseEnded { get; init; }

    /// <summary>The run id for a scheduled time: retries of the same occurrence share it.</summary>
    public static string RunIdFor(DateTimeOffset scheduledAt) =>
        "run-" + scheduledAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs one recompute.</summary>
    /// <remarks>
    /// Two passes over the profiles, so that memory grows with a few numbers per customer, not with the profiles:
    /// the first keeps only what the models are fitted on (each buyer's purchase days) and what ranking needs (net revenue,
    /// orders, returns), in arrays by position; after the fit ranks everyone, only each customer's id and the models'
    /// prediction are kept, and the second pass reads the profiles again page by page, decides each one's segments and
    /// writes the page's changes on the version it has just read (ETag checked) before reading on. A profile created
    /// between the passes is valued by the next run; one changed between them is decided on its new version (its
    /// net-spend figures too) with the models' prediction fitted on the old.
    /// </remarks>
    public async Task<RecomputeRun> RunAsync(string runId, CancellationToken cancellationToken = default)
    {
        // The write-back rewrites every profile: webhooks arriving meanwhile go before it.
        using var bulk = BulkWrites.Begin();
        var startedAt = clock.GetUtcNow();
        var phases = new PhaseClock();
        var custom = customSegments is null ? CustomSegmentSet.Empty : await customSegments.LoadAsync(cancellationToken);
        var evaluator = new CustomSegmentEvaluator(custom.Segments);
        var fitInput = await ScanForFitAsync(cancellationToken);
        if (fitInput.Skipped.Count > 0)
        {
            logger.LogWarning("Recompute {RunId}: {Skipped} profiles skipped, first {ProfileId}: {Reason}", runId, fitInput.Skipped.Count, fitInput.Skipped[0].ProfileId, fitInput.Skipped[0].Reason);
        }

        var scan = phases.Lap();
        PhaseEnded?.Invoke("scan");
        phases.Skip();
        var previous = await PreviousRunAsync(runId, cancellationToken);
        var positions = new Dictionary<string, int>(fitInput.Ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < fitInput.Ids.Count; i++)
        {
            positions.TryAdd(fitInput.Ids[i], i);
        }

        var (predictions, model) = ClvScorer.Score(fitInput.Transactions, positions, startedAt, previous?.Model);
        var fitted = new FittedValues(positions, predictions);
        if (model.Alarm is { } alarm)
        {
            logger.LogWarning("Recompute {RunId}: {Alarm}", runId, alarm);
        }

        var context = RankingContext(fitInput.Figures, predictions, startedAt);
        var skipped = fitInput.Skipped;
        fitInput = null!; // the fit and the ranking are done: only the predictions are kept for the second pass
        var fit = phases.Lap();
        PhaseEnded?.Invoke("fit");
        phases.Skip();

        var names = SegmentRegistry.BuiltIn.Select(r => (r.Name, r.Description)).Concat(custom.Segments.Select(c => (c.Name, Description: c.Definition.Goal))).ToList();
        var tally = new RunTally(names);
        var written = await DecideAndWriteAsync(fitted, context, evaluator, tally, runId, startedAt, phases, cancellationToken);
        var (segmentsPhase, writeBackPhase) = (phases.Segments, phases.WriteBack);
        phases.Lap();
        PhaseEnded?.Invoke("second pass");
        phases.Skip();

        var migration = tally.Migrations();
        var channels = tally.Channels((segmentOptions ?? new SegmentOptions()).Channels.MinCustomers);
        var summary = tally.Sizes();
        var distributions = tally.Distributions();
        var kpis = tally.Kpis.Results(custom.Segments.ToDictionary(c => c.Name, c => c.Definition.Kpis, StringComparer.Ordinal));
        var summaryPhase = phases.Lap();
        var run = new RecomputeRun
        {
            Id = runId,
            PreviousRunId = previous?.Id,
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Method = model.Method,
            Model = model,
            Profiles = tally.Profiles,
            Ranked = tally.Ranked,
            Written = written,
            SegmentChanges = tally.SegmentChanges,
            Segments = summary,
            Thresholds = new RunThresholds(context.Thresholds.Top20, context.Thresholds.Bottom20, context.Thresholds.Ranked),
            Kpis = kpis,
            CustomSegmentProblems = [.. custom.Problems, .. evaluator.Errors()],
            Migrations = [.. migration.Cells.Select(c => new MigrationFlow(c.From, c.To, c.Cell.Customers, c.Cell.PredictedClv))],
            Channels = channels,
            Timings = new RecomputeTimings(scan.Wall, fit.Wall, segmentsPhase.Wall, writeBackPhase.Wall, summaryPhase.Wall),
            CpuTimings = new RecomputeTimings(scan.Cpu, fit.Cpu, segmentsPhase.Cpu, writeBackPhase.Cpu, summaryPhase.Cpu),
            Distributions = distributions,
            SkippedProfiles = skipped.Count,
            Skipped = [.. skipped.Take(RecomputeRun.MaxSkippedListed)],
        };
        if (run.CustomSegmentProblems.Count > 0)
        {
            logger.LogWarning("Recompute {RunId}: custom segments: {Problems}", runId, string.Join(" | ", run.CustomSegmentProblems));
        }

        await store.UpsertAsync(ContainerNames.Runs, run.Id, run.Id, run, cancellationToken);
        await SegmentKpiHistory.RecordAsync(store, run.Id, run.StartedAt, run.Kpis, cancellationToken);
        await store.UpsertAsync(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId,
            new SegmentSummary { RunId = runId, ComputedAt = run.FinishedAt, Segments = summary }, cancellationToken);
        logger.LogInformation("Recompute {RunId}: {Profiles} profiles, {Ranked} ranked, {Written} written, {SegmentChanges} segment changes",
            runId, run.Profiles, run.Ranked, run.Written, run.SegmentChanges);
        return run;
    }

    /// <summary>
    /// The first pass: every live profile's id, its purchase days (the models' input) and the figures ranking reads (its
    /// net-spend score is taken in the second pass, from the profile read there). Pages are digested on every core while the store reads the
    /// next page, and appended in scan order, so the models see the same data in the same order as a sequential scan.
    /// </summary>
    private async Task<FitInput> ScanForFitAsync(CancellationToken cancellationToken)
    {
        var input = new FitInput();
        var page = new List<CustomerProfile>(ScanPageSize);
        var pending = Task.CompletedTask;
        // Read whole by the store: reading JSON here and only the fields valuing needs on every core cost more CPU than it
        // saved (the JSON document is the dearer part).
        await foreach (var document in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles, cancellationToken))
        {
            page.Add(document.Body);
            if (page.Count == ScanPageSize)
            {
                await pending;
                var full = page;
                pending = Task.Run(() => Digest(full, input), cancellationToken);
                page = new List<CustomerProfile>(ScanPageSize);
            }
        }

        await pending;
        Digest(page, input);
        return input;
    }

    /// <summary>One page of the first pass, digested on every core and appended in page order.</summary>
    private static void Digest(List<CustomerProfile> page, FitInput input)
    {
        var digested = new (string? Id, RankingFigures Figures, SkippedProfile? Skipped, Transaction[] Transactions)[page.Count];
        Parallel.For(0, page.Count, i =>
        {
            var profile = page[i];
            if (profile.IsRedirect || profile.IsErased)
            {
                digested[i] = (null, default, null, []);
            }
            else if (ProfileReadiness.Problem(profile) is { } problem)
            {
                // One profile the models cannot read must not fail the run for everybody: it keeps its segments and
                // value until its data is mended, and the run record names it.
                digested[i] = (null, default, new SkippedProfile(profile.Id, problem), []);
            }
            else
            {
                var totals = profile.OrderTotals;
                digested[i] = (profile.Id, new RankingFigures(profile.GrossRevenue - profile.Refunds, totals.Purchases,
                    Math.Min(totals.RefundedPurchases + totals.Returns, totals.Purchases)), null, [.. ClvScorer.TransactionsOf(profile)]);
            }
        });
        foreach (var (id, figures, skip, bought) in digested)
        {
            if (id is not null)
            {
                input.Ids.Add(id);
                input.Figures.Add(figures);
                input.Transactions.AddRange(bought);
            }
            else if (skip is not null)
            {
                input.Skipped.Add(skip);
            }
        }
    }

    /// <summary>
    /// The tier thresholds and percentiles of this run: every buyer ranked by predicted profit with this run's score (as
    /// <see cref="SegmentRunContext.ForRun"/> ranks full inputs, from the only fields profit reads).
    /// </summary>
    private SegmentRunContext RankingContext(List<RankingFigures> customers, ModelPrediction?[] predictions, DateTimeOffset asOf)
    {
        var value = valueOptions ?? new ValueOptions();
        var profits = new List<decimal>(customers.Count);
        for (var i = 0; i < customers.Count; i++)
        {
            var customer = customers[i];
            if (customer.Orders > 0)
            {
                // A customer the models did not value has no prediction: profit is then taken from net revenue.
                var prediction = predictions[i];
                profits.Add(PredictedProfit.Of(new SegmentInput
                {
                    ProfileId = string.Empty,
                    Orders = customer.Orders,
                    NetRevenue = customer.NetRevenue,
                    ReturnedOrders = customer.ReturnedOrders,
                    PredictedClv = prediction?.PredictedClv,
                    ExpectedPurchases = prediction?.ExpectedPurchases,
                }, value));
            }
        }

        return new SegmentRunContext
        {
            AsOf = asOf,
            Thresholds = TierThresholds.FromProfits(profits),
            Segments = segmentOptions ?? new SegmentOptions(),
            Value = value,
        };
    }

    /// <summary>
    /// The second pass: reads the profiles again page by page, decides each customer's segments on every core, adds them to
    /// the tally in scan order, and writes the page's changes before reading on. Profiles the first pass did not value
    /// (created since, or skipped) are left for the next run.
    /// </summary>
    private async Task<int> DecideAndWriteAsync(FittedValues fitted, SegmentRunContext context, CustomSegmentEvaluator evaluator,
        RunTally tally, string runId, DateTimeOffset startedAt, PhaseClock phases, CancellationToken cancellationToken)
    {
        var written = 0;
        var page = new List<StoredDocument<RawJson>>(ScanPageSize);
        await foreach (var document in store.ScanAsync<RawJson>(ContainerNames.Profiles, cancellationToken))
        {
            page.Add(document);
            if (page.Count == ScanPageSize)
            {
                written += await DecidePageAsync(page, fitted, context, evaluator, tally, runId, startedAt, phases, cancellationToken);
                page.Clear();
            }
        }

        written += await DecidePageAsync(page, fitted, context, evaluator, tally, runId, startedAt, phases, cancellationToken);
        return written;
    }

    private async Task<int> DecidePageAsync(List<StoredDocument<RawJson>> page, FittedValues fitted, SegmentRunContext context,
        CustomSegmentEvaluator evaluator, RunTally tally, string runId, DateTimeOffset startedAt, PhaseClock phases, CancellationToken cancellationToken)
    {
        var decided = new Decided?[page.Count];
        // Every profile's rules are independent of the others': decided on every core.
        Parallel.For(0, page.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var document = page[i];
            if (document.Body.Element is not { ValueKind: System.Text.Json.JsonValueKind.Object } element)
            {
                return;
            }

            // Only the fields the rules decide on are materialised; the write-back copies the rest from the stored JSON.
            var profile = RecomputeProfileJson.Read(element);
            if (profile is null || profile.IsRedirect || profile.IsErased || ProfileReadiness.Problem(profile) is not null
                || fitted.ScoreOf(profile, runId) is not { } fittedScore)
            {
                return;
            }

            var stored = SegmentInputs.FromProfile(profile, null, startedAt, profile.Value?.Percentile);
            var input = WithScore(stored, fittedScore);
            var percentile = input.HasPurchased ? context.Thresholds.PercentileOf(context.ProfitOf(input)) is { } p ? Math.Round(p, 2) : (double?)null : null;
            var score = fittedScore with { Percentile = percentile };
            var builtIn = SegmentRegistry.Evaluate(input, context);
            IReadOnlyList<SegmentMatch> matches = evaluator.IsEmpty ? builtIn
                : [.. builtIn, .. evaluator.Evaluate(profile.Id, element, profile, score, SegmentNamesOf(builtIn), startedAt)];
            var segments = SegmentNamesOf(matches);
            Array.Sort(segments, StringComparer.Ordinal);
            var segmentsChanged = !segments.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(profile.Segments));
            ProfileWrite? write = null;
            if (segmentsChanged || ScoreComparison.IsMaterial(profile.Value, score))
            {
                write = ProfileWriteBack.Apply(document.Body, segments, matches, score, runId) is { } body
                    ? new ProfileWrite(document.Id, body, document.ETag, segments, matches, score)
                    : null;
            }

            decided[i] = new Decided(input, score, segments, TierIndexOf(builtIn), segmentsChanged, write);
        });

        var writes = new List<ProfileWrite>();
        foreach (var d in decided)
        {
            if (d is null)
            {
                continue;
            }

            tally.Add(d.Input, d.Score, d.Segments, d.Tier, d.SegmentsChanged, context);
            if (d.Write is { } w)
            {
                writes.Add(w);
            }
        }

        phases.AddSegments();
        var written = await PageWriteBack.WriteAsync(store, writes, runId, cancellationToken);
        phases.AddWriteBack();
        return written;
    }

    private static double Seconds(TimeSpan time) => Math.Round(time.TotalSeconds, 3);

    /// <summary>The last finished run before this one (its id is on the segment summary), or null.</summary>
    private async Task<RecomputeRun?> PreviousRunAsync(string runId, CancellationToken cancellationToken)
    {
        var summary = await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken);
        if (summary?.Body.RunId is not { } previousId || previousId == runId)
        {
            return null;
        }

        return (await store.ReadAsync<RecomputeRun>(ContainerNames.Runs, previousId, previousId, cancellationToken))?.Body;
    }

    /// <summary>This run's score as the segment rules read it (a net-spend score is no prediction).</summary>
    private static SegmentInput WithScore(SegmentInput input, CustomerValueScore score) => input with
    {
        PredictedClv = score.ExpectedPurchases is null ? null : score.PredictedClv,
        PAlive = score.PAlive,
        ProbabilityTop20 = score.ExpectedPurchases is null ? null : score.ProbabilityTop20,
        ExpectedPurchases = score.ExpectedPurchases,
        ExpectedNextOrderAt = score.ExpectedNextOrderAt,
        ReturnRate = score.ReturnRate,
        AverageDaysBetweenOrders = score.AverageDaysBetweenOrders ?? input.AverageDaysBetweenOrders,
    };

    private static string[] SegmentNamesOf(IReadOnlyList<SegmentMatch> matches)
    {
        var names = new string[matches.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = matches[i].Segment;
        }

        return names;
    }

    /// <summary>The index of the value tier among the matches in <see cref="SegmentNames.ValueTiers"/>, or −1 when unranked.</summary>
    private static int TierIndexOf(IReadOnlyList<SegmentMatch> builtIn)
    {
        foreach (var match in builtIn)
        {
            for (var t = 0; t < SegmentNames.ValueTiers.Count; t++)
            {
                if (string.Equals(SegmentNames.ValueTiers[t], match.Segment, StringComparison.Ordinal))
                {
                    return t;
                }
            }
        }

        return -1;
    }

    /// <summary>What the second pass decided for one customer.</summary>
    /// <param name="Input">The rule input with this run's score.</param>
    /// <param name="Score">This run's score, with its percentile.</param>
    /// <param name="Segments">The segment names, sorted (as the profile keeps them).</param>
    /// <param name="Tier">Index of the value tier in <see cref="SegmentNames.ValueTiers"/>, −1 when not ranked.</param>
    /// <param name="SegmentsChanged">True when the segments differ from the stored ones.</param>
    /// <param name="Write">The write, when the segments or the value changed materially.</param>
    private sealed record Decided(SegmentInput Input, CustomerValueScore Score, string[] Segments, int Tier, bool SegmentsChanged, ProfileWrite? Write);

    /// <summary>What ranking reads of a customer besides the models' prediction (a value type: one array for everybody).</summary>
    private readonly record struct RankingFigures(decimal NetRevenue, int Orders, int ReturnedOrders);

    /// <summary>
    /// The first pass's result, by position in scan order: each customer's id and ranking figures; the models'
    /// transactions of everybody go to <see cref="Transactions"/>.
    /// </summary>
    private sealed class FitInput
    {
        public List<string> Ids { get; } = [];

        public List<RankingFigures> Figures { get; } = [];

        public List<Transaction> Transactions { get; } = [];

        public List<SkippedProfile> Skipped { get; } = [];
    }

    /// <summary>
    /// What the fit leaves for the second pass: each valued customer's position (one id string per customer, shared with
    /// the store's read) and the models' prediction at that position. The full score is built only when the customer is
    /// decided: the net-spend score from the profile just read, with the prediction on top.
    /// </summary>
    private sealed class FittedValues(Dictionary<string, int> positions, ModelPrediction?[] predictions)
    {
        /// <summary>This run's score of a profile, or null when the first pass did not value it (created since, or skipped).</summary>
        public CustomerValueScore? ScoreOf(CustomerProfile profile, string runId)
        {
            if (!positions.TryGetValue(profile.Id, out var at))
            {
                return null;
            }

            var baseline = NetSpendScorer.Score(profile, runId);
            return predictions[at] is { } prediction ? prediction.ApplyTo(baseline) : baseline;
        }
    }

    /// <summary>
    /// Wall-clock and process CPU time (all threads) per phase. The second pass alternates deciding a page and writing it,
    /// so its two phases are summed page by page.
    /// </summary>
    private sealed class PhaseClock
    {
        private readonly System.Diagnostics.Stopwatch _wall = System.Diagnostics.Stopwatch.StartNew();
        private TimeSpan _lastWall;
        private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;

        public (double Wall, double Cpu) Segments { get; private set; }

        public (double Wall, double Cpu) WriteBack { get; private set; }

        /// <summary>The time since the last mark, and marks now.</summary>
        public (double Wall, double Cpu) Lap()
        {
            var (wall, cpu) = (_wall.Elapsed, Environment.CpuUsage.TotalTime);
            var lap = (Seconds(wall - _lastWall), Seconds(cpu - _lastCpu));
            (_lastWall, _lastCpu) = (wall, cpu);
            return lap;
        }

        /// <summary>Marks now without counting the time since the last mark (what <see cref="PhaseEnded"/> took).</summary>
        public void Skip() => Lap();

        public void AddSegments() => Segments = Add(Segments, Lap());

        public void AddWriteBack() => WriteBack = Add(WriteBack, Lap());

        private static (double, double) Add((double Wall, double Cpu) sum, (double Wall, double Cpu) lap) =>
            (Math.Round(sum.Wall + lap.Wall, 3), Math.Round(sum.Cpu + lap.Cpu, 3));
    }
}
