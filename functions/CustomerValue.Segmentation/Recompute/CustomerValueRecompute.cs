using System.Globalization;
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
/// PublishSegmentChanges turns into joined/left events. Writes re-read the profile and touch only the value
/// and segment fields, so orders ingested while the run is under way are never overwritten.
/// </summary>
public sealed class CustomerValueRecompute(
    IDocumentStore store, TimeProvider clock, ILogger<CustomerValueRecompute> logger, SegmentOptions? segmentOptions = null, ValueOptions? valueOptions = null,
    CustomSegmentCatalog? customSegments = null)
{
    private const int WriteParallelism = 8;
    private const int ScanPageSize = 2_000;

    /// <summary>The run id for a scheduled time: retries of the same occurrence share it.</summary>
    public static string RunIdFor(DateTimeOffset scheduledAt) =>
        "run-" + scheduledAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs one recompute.</summary>
    public async Task<RecomputeRun> RunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var startedAt = clock.GetUtcNow();
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var cpu0 = Environment.CpuUsage.TotalTime;
        var custom = customSegments is null ? CustomSegmentSet.Empty : await customSegments.LoadAsync(cancellationToken);
        var evaluator = new CustomSegmentEvaluator(custom.Segments);
        var scanned = new List<ScannedProfile>();
        var transactions = new List<Transaction>();
        var skipped = new List<SkippedProfile>();
        // Pages of documents are turned into what scoring needs on every core while the store reads the next page; pages
        // are appended in scan order, so the models see the same data in the same order as a sequential scan.
        var page = new List<CustomerProfile>(ScanPageSize);
        var pending = Task.CompletedTask;
        await foreach (var document in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles, cancellationToken))
        {
            page.Add(document.Body);
            if (page.Count == ScanPageSize)
            {
                await pending;
                var full = page;
                pending = Task.Run(() => Digest(full, runId, startedAt, evaluator, scanned, transactions, skipped), cancellationToken);
                page = new List<CustomerProfile>(ScanPageSize);
            }
        }

        await pending;
        Digest(page, runId, startedAt, evaluator, scanned, transactions, skipped);

        if (skipped.Count > 0)
        {
            logger.LogWarning("Recompute {RunId}: {Skipped} profiles skipped, first {ProfileId}: {Reason}", runId, skipped.Count, skipped[0].ProfileId, skipped[0].Reason);
        }

        var scanTime = timer.Elapsed;
        var scanCpu = Environment.CpuUsage.TotalTime;
        var previous = await PreviousRunAsync(runId, cancellationToken);
        var (scores, model) = ClvScorer.Score(transactions, scanned.ToDictionary(p => p.Id, p => p.Score, StringComparer.Ordinal), startedAt, previous?.Model);
        if (model.Alarm is { } alarm)
        {
            logger.LogWarning("Recompute {RunId}: {Alarm}", runId, alarm);
        }
        // The segment rules see this run's score; the profile's stored score stays the "previous run" they compare with.
        scanned = [.. scanned.Select(p => p with { Score = scores[p.Id], Input = WithScore(p.Input, scores[p.Id]) })];
        var modelTime = timer.Elapsed;
        var modelCpu = Environment.CpuUsage.TotalTime;
        var context = SegmentRunContext.ForRun(scanned.Select(p => p.Input), startedAt, segmentOptions, valueOptions);
        var updates = new List<(ScannedProfile Profile, List<string> Segments, Dictionary<string, string> Reasons, bool SegmentsChanged)>();
        var memberships = new Dictionary<string, IReadOnlyList<SegmentMatch>>(StringComparer.Ordinal);
        // Every profile's rules are independent of the others': decided on every core, then gathered in scan order.
        var decided = new IReadOnlyList<SegmentMatch>[scanned.Count];
        Parallel.For(0, scanned.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var profile = scanned[i];
            var builtIn = SegmentRegistry.Evaluate(profile.Input, context);
            decided[i] = evaluator.IsEmpty ? builtIn
                : [.. builtIn, .. evaluator.Evaluate(profile.Id, profile.Captured, profile.Score, builtIn.Select(m => m.Segment), startedAt)];
        });
        for (var i = 0; i < scanned.Count; i++)
        {
            var profile = scanned[i];
            var matches = decided[i];
            memberships[profile.Id] = matches;
            var segments = matches.Select(m => m.Segment).Order(StringComparer.Ordinal).ToList();
            var reasons = matches.ToDictionary(m => m.Segment, m => m.Reason, StringComparer.Ordinal);
            var segmentsChanged = !segments.SequenceEqual(profile.Segments, StringComparer.Ordinal);
            if (segmentsChanged || ScoreComparison.IsMaterial(profile.PreviousScore, profile.Score))
            {
                updates.Add((profile, segments, reasons, segmentsChanged));
            }
        }

        var tiers = memberships.SelectMany(m => m.Value.Where(x => SegmentNames.ValueTiers.Contains(x.Segment)).Select(x => (m.Key, x.Segment)))
            .ToDictionary(t => t.Key, t => t.Segment, StringComparer.Ordinal);
        var segmentsTime = timer.Elapsed;
        var segmentsCpu = Environment.CpuUsage.TotalTime;
        var written = 0;
        await Parallel.ForEachAsync(updates, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken }, async (update, ct) =>
        {
            var skipped = false;
            var result = await store.UpdateAsync<CustomerProfile>(ContainerNames.Profiles, update.Profile.Id, update.Profile.Id, current =>
            {
                skipped = current is null || current.IsRedirect || current.IsErased;
                if (current is null || skipped)
                {
                    return null; // merged or erased since the scan: the next run scores its survivor
                }

                if (!current.Segments.SequenceEqual(update.Segments, StringComparer.Ordinal))
                {
                    current.Segments = update.Segments;
                    current.SegmentsRunId = runId;
                }

                current.SegmentReasons = update.Reasons;

                current.Value = update.Profile.Score;
                return current;
            }, ct);
            if (result is not null && !skipped)
            {
                Interlocked.Increment(ref written);
            }
        });

        var writeBackTime = timer.Elapsed;
        var writeBackCpu = Environment.CpuUsage.TotalTime;
        var summary = Summarize(scanned, memberships, custom.Segments);
        var kpis = new SegmentKpiCalculator(SegmentRegistry.BuiltIn.Select(r => r.Name).Concat(custom.Segments.Select(c => c.Name)));
        foreach (var profile in scanned)
        {
            kpis.Add(profile.Input, memberships[profile.Id].Select(m => m.Segment));
        }

        var migration = MigrationMatrix.Between(
            scanned.Where(p => p.Input.PreviousTier is not null).Select(p => new TierPlacement(p.Id, p.Input.PreviousTier!, p.Input.PreviousPredictedClv ?? 0m)),
            scanned.Where(p => tiers.ContainsKey(p.Id)).Select(p => new TierPlacement(p.Id, tiers[p.Id], p.Score.PredictedClv)));
        var channels = ChannelQuality.Compute(
            scanned.Where(p => p.HasPurchased).Select(p => ChannelCustomer.From(p.Input, context, memberships[p.Id].Select(m => m.Segment))),
            (segmentOptions ?? new SegmentOptions()).Channels.MinCustomers);
        var run = new RecomputeRun
        {
            Id = runId,
            PreviousRunId = previous?.Id,
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Method = model.Method,
            Model = model,
            Profiles = scanned.Count,
            Ranked = tiers.Count,
            Written = written,
            SegmentChanges = updates.Count(u => u.SegmentsChanged),
            Segments = summary,
            Thresholds = new RunThresholds(context.Thresholds.Top20, context.Thresholds.Bottom20, context.Thresholds.Ranked),
            Kpis = kpis.Results(custom.Segments.ToDictionary(c => c.Name, c => c.Definition.Kpis, StringComparer.Ordinal)),
            CustomSegmentProblems = [.. custom.Problems, .. evaluator.Errors()],
            Migrations = [.. migration.Cells.Select(c => new MigrationFlow(c.From, c.To, c.Cell.Customers, c.Cell.PredictedClv))],
            Channels = channels,
            Timings = new RecomputeTimings(Seconds(scanTime), Seconds(modelTime - scanTime), Seconds(segmentsTime - modelTime),
                Seconds(writeBackTime - segmentsTime), Seconds(timer.Elapsed - writeBackTime)),
            CpuTimings = new RecomputeTimings(Seconds(scanCpu - cpu0), Seconds(modelCpu - scanCpu), Seconds(segmentsCpu - modelCpu),
                Seconds(writeBackCpu - segmentsCpu), Seconds(Environment.CpuUsage.TotalTime - writeBackCpu)),
            Distributions = ValueDistributions.Of(scanned.Where(p => p.HasPurchased).Select(p => (p.Score.PredictedClv, p.Score.PAlive))),
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
    /// Turns one page of scanned documents into what scoring needs (on every core), appending to the run's lists in
    /// page order. Only what scoring needs is kept, not the documents: the scan stays small for large customer bases.
    /// </summary>
    private static void Digest(List<CustomerProfile> page, string runId, DateTimeOffset startedAt, CustomSegmentEvaluator evaluator,
        List<ScannedProfile> scanned, List<Transaction> transactions, List<SkippedProfile> skipped)
    {
        var digested = new (ScannedProfile? Profile, SkippedProfile? Skipped, Transaction[] Transactions)[page.Count];
        Parallel.For(0, page.Count, i =>
        {
            var profile = page[i];
            if (profile.IsRedirect || profile.IsErased)
            {
                digested[i] = (null, null, []);
            }
            else if (ProfileReadiness.Problem(profile) is { } problem)
            {
                // One profile the models cannot read must not fail the run for everybody: it keeps its segments and
                // value until its data is mended, and the run record names it.
                digested[i] = (null, new SkippedProfile(profile.Id, problem), []);
            }
            else
            {
                digested[i] = (new ScannedProfile(profile.Id, profile.Orders > 0, profile.NetRevenue, [.. profile.Segments], profile.Value, NetSpendScorer.Score(profile, runId),
                    SegmentInputs.FromProfile(profile, null, startedAt), evaluator.Capture(profile)), null, [.. ClvScorer.TransactionsOf(profile)]);
            }
        });
        foreach (var (profile, skip, bought) in digested)
        {
            if (profile is not null)
            {
                scanned.Add(profile);
                transactions.AddRange(bought);
            }
            else if (skip is not null)
            {
                skipped.Add(skip);
            }
        }
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

    private static List<SegmentSize> Summarize(List<ScannedProfile> scanned, Dictionary<string, IReadOnlyList<SegmentMatch>> memberships, IReadOnlyList<CustomSegment> custom)
    {
        var byId = scanned.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var segments = SegmentRegistry.BuiltIn.Select(r => (r.Name, r.Description)).Concat(custom.Select(c => (c.Name, Description: c.Definition.Goal)));
        return [.. segments.Select(segment =>
        {
            var members = memberships.Where(m => m.Value.Any(x => x.Segment == segment.Name)).Select(m => byId[m.Key]).ToList();
            return new SegmentSize(segment.Name, members.Count, segment.Description,
                members.Sum(m => m.NetRevenue),
                members.Count == 0 ? 0m : decimal.Round(members.Average(m => m.Score.PredictedClv), 2));
        })];
    }

    private sealed record ScannedProfile(string Id, bool HasPurchased, decimal NetRevenue, List<string> Segments, CustomerValueScore? PreviousScore, CustomerValueScore Score, SegmentInput Input,
        IReadOnlyDictionary<string, object?> Captured);
}
