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
/// PublishSegmentChanges turns into joined/left events. Writes re-read the profile and touch only the value
/// and segment fields, so orders ingested while the run is under way are never overwritten.
/// </summary>
public sealed class CustomerValueRecompute(
    IDocumentStore store, TimeProvider clock, ILogger<CustomerValueRecompute> logger, SegmentOptions? segmentOptions = null, ValueOptions? valueOptions = null,
    CustomSegmentCatalog? customSegments = null)
{
    // Writes in flight during the write-back: enough for the embedded store to commit a few hundred per transaction.
    private const int WriteParallelism = 128;
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
        var baseline = new Dictionary<string, CustomerValueScore>(scanned.Count, StringComparer.Ordinal);
        foreach (var profile in scanned)
        {
            baseline[profile.Id] = profile.Score;
        }

        var (scoreById, model) = ClvScorer.Score(transactions, baseline, startedAt, previous?.Model);
        transactions = null!; // the fit is done: the transactions are the largest thing the run holds
        if (model.Alarm is { } alarm)
        {
            logger.LogWarning("Recompute {RunId}: {Alarm}", runId, alarm);
        }

        // From here on every customer is an index into arrays in scan order: one linear pass per step, no lookups by id.
        // The segment rules see this run's score; the profile's stored score stays the "previous run" they compare with.
        var n = scanned.Count;
        var scores = new CustomerValueScore[n];
        var inputs = new SegmentInput[n];
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            scores[i] = scoreById[scanned[i].Id];
            inputs[i] = WithScore(scanned[i].Input, scores[i]);
        });
        scoreById = null!;
        var modelTime = timer.Elapsed;
        var modelCpu = Environment.CpuUsage.TotalTime;
        var context = SegmentRunContext.ForRun(inputs, startedAt, segmentOptions, valueOptions);
        var decisions = new Decision[n];
        // Every profile's rules are independent of the others': decided on every core, in place.
        Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var profile = scanned[i];
            var input = inputs[i];
            var percentile = input.HasPurchased ? context.Thresholds.PercentileOf(context.ProfitOf(input)) is { } p ? Math.Round(p, 2) : (double?)null : null;
            scores[i] = scores[i] with { Percentile = percentile };
            var builtIn = SegmentRegistry.Evaluate(input, context);
            IReadOnlyList<SegmentMatch> matches = evaluator.IsEmpty ? builtIn
                : [.. builtIn, .. evaluator.Evaluate(profile.Id, profile.Captured, scores[i], SegmentNamesOf(builtIn), startedAt)];
            var segments = SegmentNamesOf(matches);
            Array.Sort(segments, StringComparer.Ordinal);
            var segmentsChanged = !segments.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(profile.Segments));
            var write = segmentsChanged || ScoreComparison.IsMaterial(profile.PreviousScore, scores[i]);
            // Reasons are kept only for the profiles written: for a million customers they would be most of the run's memory.
            decisions[i] = new Decision(write ? matches : null, segments, TierIndexOf(builtIn), segmentsChanged, write);
        });

        var segmentsTime = timer.Elapsed;
        var segmentsCpu = Environment.CpuUsage.TotalTime;
        var written = await WriteBackAsync(scanned, scores, decisions, runId, cancellationToken);
        var writeBackTime = timer.Elapsed;
        var writeBackCpu = Environment.CpuUsage.TotalTime;
        var names = SegmentRegistry.BuiltIn.Select(r => (r.Name, r.Description)).Concat(custom.Segments.Select(c => (c.Name, Description: c.Definition.Goal))).ToList();
        var summary = Summarize(names, scanned, scores, decisions);
        var kpis = new SegmentKpiCalculator(names.Select(s => s.Name));
        var ranked = 0;
        for (var i = 0; i < n; i++)
        {
            kpis.Add(inputs[i], decisions[i].Segments);
            ranked += decisions[i].Tier >= 0 ? 1 : 0;
        }

        var migration = MigrationMatrix.Between(
            Enumerable.Range(0, n).Where(i => inputs[i].PreviousTier is not null)
                .Select(i => new TierPlacement(scanned[i].Id, inputs[i].PreviousTier!, inputs[i].PreviousPredictedClv ?? 0m)),
            Enumerable.Range(0, n).Where(i => decisions[i].Tier >= 0)
                .Select(i => new TierPlacement(scanned[i].Id, SegmentNames.ValueTiers[decisions[i].Tier], scores[i].PredictedClv)));
        var channels = ChannelQuality.Compute(
            Enumerable.Range(0, n).Where(i => scanned[i].HasPurchased).Select(i => ChannelCustomer.From(inputs[i], context, decisions[i].Segments)),
            (segmentOptions ?? new SegmentOptions()).Channels.MinCustomers);
        var run = new RecomputeRun
        {
            Id = runId,
            PreviousRunId = previous?.Id,
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
            Method = model.Method,
            Model = model,
            Profiles = n,
            Ranked = ranked,
            Written = written,
            SegmentChanges = decisions.Count(d => d.SegmentsChanged),
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
            Distributions = ValueDistributions.Of(Enumerable.Range(0, n).Where(i => scanned[i].HasPurchased).Select(i => (scores[i].PredictedClv, scores[i].PAlive))),
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
                    SegmentInputs.FromProfile(profile, null, startedAt, profile.Value?.Percentile), evaluator.Capture(profile)), null, [.. ClvScorer.TransactionsOf(profile)]);
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

    /// <summary>
    /// Writes back the profiles whose segments or value changed materially, many at a time: the embedded store commits
    /// the writes that are waiting together in one transaction, and Cosmos DB's bulk mode (<c>CosmosDb:AllowBulk</c>) packs
    /// concurrent point writes into batches. Each write re-reads the profile (as JSON) and checks its ETag.
    /// </summary>
    private async Task<int> WriteBackAsync(List<ScannedProfile> scanned, CustomerValueScore[] scores, Decision[] decisions, string runId,
        CancellationToken cancellationToken)
    {
        var changed = new List<int>();
        for (var i = 0; i < decisions.Length; i++)
        {
            if (decisions[i].Write)
            {
                changed.Add(i);
            }
        }

        var written = 0;
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var id = scanned[i].Id;
            var decision = decisions[i];
            var applied = false;
            await store.UpdateAsync<RawJson>(ContainerNames.Profiles, id, id, current =>
            {
                var updated = ProfileWriteBack.Apply(current, decision.Segments, decision.Matches!, scores[i], runId);
                applied = updated is not null;
                return updated;
            }, ct);
            if (applied)
            {
                Interlocked.Increment(ref written);
            }
        });
        return written;
    }

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

    /// <summary>Each segment's size, net revenue and average predicted CLV, in one pass over the decisions.</summary>
    private static List<SegmentSize> Summarize(List<(string Name, string Description)> segments, List<ScannedProfile> scanned, CustomerValueScore[] scores, Decision[] decisions)
    {
        var index = new Dictionary<string, int>(segments.Count, StringComparer.Ordinal);
        for (var s = 0; s < segments.Count; s++)
        {
            index.TryAdd(segments[s].Name, s);
        }

        var members = new int[segments.Count];
        var revenue = new decimal[segments.Count];
        var clv = new decimal[segments.Count];
        for (var i = 0; i < decisions.Length; i++)
        {
            foreach (var segment in decisions[i].Segments)
            {
                if (index.TryGetValue(segment, out var s))
                {
                    members[s]++;
                    revenue[s] += scanned[i].NetRevenue;
                    clv[s] += scores[i].PredictedClv;
                }
            }
        }

        return [.. segments.Select((segment, s) => new SegmentSize(segment.Name, members[s], segment.Description, revenue[s],
            members[s] == 0 ? 0m : decimal.Round(clv[s] / members[s], 2)))];
    }

    /// <summary>What the run decided for one customer.</summary>
    /// <param name="Matches">Every segment with its reason, built-in in registry order then custom; null when not written.</param>
    /// <param name="Segments">The segment names, sorted (as the profile keeps them).</param>
    /// <param name="Tier">Index of the value tier in <see cref="SegmentNames.ValueTiers"/>, −1 when not ranked.</param>
    /// <param name="SegmentsChanged">True when the segments differ from the stored ones.</param>
    /// <param name="Write">True when the profile is written back (segments changed or the value moved materially).</param>
    private sealed record Decision(IReadOnlyList<SegmentMatch>? Matches, string[] Segments, int Tier, bool SegmentsChanged, bool Write);

    private sealed record ScannedProfile(string Id, bool HasPurchased, decimal NetRevenue, List<string> Segments, CustomerValueScore? PreviousScore, CustomerValueScore Score, SegmentInput Input,
        IReadOnlyDictionary<string, object?> Captured);
}
