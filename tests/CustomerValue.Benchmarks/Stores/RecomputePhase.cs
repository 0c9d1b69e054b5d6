using System.Diagnostics;
using System.Globalization;
using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// The recompute on one store: the profiles upserted into a fresh store by concurrent writers (set-up, timed but not
/// the point), then one run of the app's <see cref="CustomerValueRecompute"/> — scan, model fit and scoring,
/// write-back of every profile whose value or segments changed (all of them, on a first run) — on a counting store
/// that tells the scan from the write-back.
/// </summary>
internal static class RecomputePhase
{
    /// <summary>Concurrent upserts while loading: DESIGN.md saw 5-7k point writes/s with 16-64 callers on the test server.</summary>
    public const int LoadParallelism = 64;

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Runs the phase on a fresh store of <paramref name="target"/>.</summary>
    public static async Task<RecomputeResult> RunAsync(IStoreTarget target, IReadOnlyList<CustomerProfile> profiles, TextWriter output, CancellationToken cancellationToken)
    {
        await using var phase = await target.OpenAsync("recompute", cancellationToken);
        var loader = new CountingDocumentStore(phase.Store);
        var charges = target.Charges();
        var started = Stopwatch.GetTimestamp();
        await using (ProgressTicker.Start(output, ProgressInterval, () => string.Format(C, "  {0}: loading, {1:N0} of {2:N0} profiles written ({3:0} s)",
            target.Name, loader.Written(ContainerNames.Profiles), profiles.Count, Stopwatch.GetElapsedTime(started).TotalSeconds)))
        {
            await Parallel.ForEachAsync(profiles, new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken },
                async (profile, ct) => await loader.UpsertAsync(ContainerNames.Profiles, profile.Id, profile.Id, profile, ct));
        }

        var load = Stopwatch.GetElapsedTime(started);
        var loadCharges = target.Charges()?.Since(charges!);
        output.WriteLine(string.Format(C, "  {0}: loaded {1:N0} profiles in {2:0.0} s = {3:N0}/s", target.Name, profiles.Count, load.TotalSeconds, profiles.Count / load.TotalSeconds));
        output.Flush();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var store = new CountingDocumentStore(phase.Store);
        var recompute = new CustomerValueRecompute(store, TimeProvider.System, NullLogger<CustomerValueRecompute>.Instance);
        charges = target.Charges();
        started = Stopwatch.GetTimestamp();
        RecomputeRun run;
        await using (ProgressTicker.Start(output, ProgressInterval, () => string.Format(C, "  {0}: recompute, {1:N0} profiles scanned, {2:N0} written back ({3:0} s)",
            target.Name, store.Scanned(ContainerNames.Profiles), store.Written(ContainerNames.Profiles), Stopwatch.GetElapsedTime(started).TotalSeconds)))
        {
            run = await recompute.RunAsync(CustomerValueRecompute.RunIdFor(DateTimeOffset.UtcNow), cancellationToken);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = new RecomputeResult(profiles.Count, load, loadCharges, run, elapsed, store.Snapshot(), target.Charges()?.Since(charges!));
        output.WriteLine(string.Format(C, "  {0}: recompute of {1:N0} profiles in {2:0.0} s (scan {3:0.0} s, scoring {4:0.0} s, write-back of {5:N0} {6:0.0} s)",
            target.Name, run.Profiles, elapsed.TotalSeconds, result.ScanTime.TotalSeconds, result.ScoringTime.TotalSeconds, run.Written, result.WriteBackTime.TotalSeconds));
        output.Flush();
        return result;
    }
}

/// <summary>The figures of the recompute on one store.</summary>
/// <param name="Loaded">Profiles put into the store.</param>
/// <param name="LoadTime">How long the concurrent upserts took.</param>
/// <param name="LoadCharges">Cosmos DB requests and request units of the load; null for the embedded store.</param>
/// <param name="Run">What the recompute reported.</param>
/// <param name="Elapsed">Wall time of the recompute.</param>
/// <param name="Operations">Store operations of the recompute.</param>
/// <param name="Charges">Cosmos DB requests and request units of the recompute; null for the embedded store.</param>
internal sealed record RecomputeResult(
    int Loaded, TimeSpan LoadTime, RequestCharges? LoadCharges, RecomputeRun Run, TimeSpan Elapsed, StoreOperations Operations, RequestCharges? Charges)
{
    /// <summary>The profiles container's counts: the scan, and the write-back's reads and replaces.</summary>
    public ContainerOperations Profiles => Operations[ContainerNames.Profiles];

    /// <summary>From the scan's start to its last document.</summary>
    public TimeSpan ScanTime => Profiles.ScanTime ?? TimeSpan.Zero;

    /// <summary>
    /// The write-back: from the first point operation on profiles (the write-back's first read; the scan is no point
    /// operation) to the end of the last.
    /// </summary>
    public TimeSpan WriteBackTime => Profiles.PointOperationSpan ?? TimeSpan.Zero;

    /// <summary>Between the scan and the write-back: the model fit, scoring and segment assignment.</summary>
    public TimeSpan ScoringTime => Profiles.ScanEnded != 0 && Profiles.FirstStarted != 0
        ? Stopwatch.GetElapsedTime(Profiles.ScanEnded, Profiles.FirstStarted)
        : Elapsed - ScanTime - WriteBackTime;

    /// <summary>Profiles per second read by the scan.</summary>
    public double ScanPerSecond => Profiles.Scanned / ScanTime.TotalSeconds;

    /// <summary>Profiles per second written back (each a point read and a conditional replace).</summary>
    public double WriteBackPerSecond => Run.Written == 0 ? double.NaN : Run.Written / WriteBackTime.TotalSeconds;
}
