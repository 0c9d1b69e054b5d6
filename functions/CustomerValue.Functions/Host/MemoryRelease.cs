using System.Diagnostics;

namespace CustomerValue.Functions.Host;

/// <summary>
/// Returns the memory of a finished long job to the operating system. An import or a recompute builds hundreds of MB
/// of short-lived structures; when it ends they are garbage, but the garbage collector only collects (and decommits)
/// when later allocations ask it to, which an idle instance never does, so the process stayed hundreds of MB above
/// its steady level after each job. After an invocation that ran at least <c>Memory:ReleaseAfterSeconds</c>
/// (default 20; 0 turns this off) one aggressive full collection (<see cref="GCCollectionMode.Aggressive"/>, which
/// decommits what it frees) runs in the background, at most once per <see cref="MinimumInterval"/>. It costs one
/// blocking collection per long job — milliseconds to a few hundred — against jobs of tens of seconds and more. Many
/// short invocations can add up to the same (the change-feed batches and delivery rounds after a recompute): when more
/// than <see cref="QuietReleaseBytes"/> were allocated since the last release and no invocation runs, it releases too.
/// And when the server has gone idle (under <see cref="IdleTickBytes"/> allocated in the last 10 s) after more than
/// <see cref="IdleReleaseBytes"/> since the last release: the work that follows a job (publishing, delivery, the
/// webhooks of a busy hour) otherwise left its garbage in the heap until the next job, the soak's end level at
/// times 20 % above its start.
/// <para>
/// A release also returns the C heap's free pages (<see cref="NativeHeap.Trim"/>) and the store's caches (the
/// callback given at construction: the embedded store closes its idle read connections and shrinks the writer's page
/// cache). Measured in <c>bench soak</c>, most of what stayed after a job was there, not in the managed heap. At debug
/// level (category <c>CustomerValue.Functions.Host.MemoryRelease</c>) it logs the working set, the managed heap and
/// the C heap every 10 s, so a soak can tell which of them grows.
/// </para>
/// </summary>
public sealed class MemoryRelease : IDisposable
{
    /// <summary>The default shortest invocation after which memory is released.</summary>
    public const int DefaultReleaseAfterSeconds = 20;

    /// <summary>Allocation since the last release after which a quiet moment (no invocation running) releases too.</summary>
    public const long QuietReleaseBytes = 512L * 1024 * 1024;

    /// <summary>Allocation since the last release after which a server gone idle releases.</summary>
    public const long IdleReleaseBytes = 64L * 1024 * 1024;

    /// <summary>Allocation in one 10 s check below which the server counts as idle.</summary>
    public const long IdleTickBytes = 4L * 1024 * 1024;

    /// <summary>Free bytes in the C heap above which the 10 s check returns them to the OS, even while a job runs.</summary>
    public const long TrimFreeBytes = 64L * 1024 * 1024;

    /// <summary>The shortest time between two releases.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _threshold;
    private readonly ILogger<MemoryRelease> _logger;
    private readonly Action? _releaseCaches;
    private readonly Timer? _quiet;
    private long _lastRelease = long.MinValue / 2;
    private long _allocatedAtRelease;
    private long _allocatedAtTick;
    private int _releasing;
    private int _running;

    /// <summary>Reads <c>Memory:ReleaseAfterSeconds</c>; every 10 s it also looks for a quiet moment after much allocation.</summary>
    /// <param name="configuration">Where <c>Memory:ReleaseAfterSeconds</c> is read.</param>
    /// <param name="logger">Logs each release, and the memory figures every 10 s at debug level.</param>
    /// <param name="releaseCaches">Empties caches outside the managed heap (the store's) at each release; optional.</param>
    public MemoryRelease(IConfiguration configuration, ILogger<MemoryRelease> logger, Action? releaseCaches = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _logger = logger;
        _releaseCaches = releaseCaches;
        _threshold = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Memory:ReleaseAfterSeconds", DefaultReleaseAfterSeconds)));
        _allocatedAtRelease = _allocatedAtTick = GC.GetTotalAllocatedBytes();
        if (_threshold > TimeSpan.Zero)
        {
            // Many short invocations (change-feed batches, delivery rounds after a recompute) add up like one long job.
            _quiet = new Timer(_ => WhenQuiet(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>How many releases ran so far.</summary>
    public int Releases { get; private set; }

    /// <summary>Times an invocation; disposing the result releases memory when it ran long enough.</summary>
    public Tracked Track(string functionName)
    {
        Interlocked.Increment(ref _running);
        return new(this, functionName, Stopwatch.GetTimestamp());
    }

    /// <inheritdoc />
    public void Dispose() => _quiet?.Dispose();

    private void Finished(string functionName, long started)
    {
        Interlocked.Decrement(ref _running);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (_threshold > TimeSpan.Zero && elapsed >= _threshold)
        {
            Release($"{functionName} ({elapsed.TotalSeconds:0} s)");
        }
    }

    private void WhenQuiet()
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogFigures();
        }

        // Free C memory piles up during a long job too (an import held 400 MB of free chunks): trimming it is cheap
        // (no collection, only the allocator's free pages), so it runs whenever much is free, even mid-job.
        if (NativeHeap.Usage() is { Free: > TrimFreeBytes })
        {
            NativeHeap.Trim();
        }

        long allocated = GC.GetTotalAllocatedBytes();
        long sinceTick = allocated - Interlocked.Exchange(ref _allocatedAtTick, allocated);
        if (QuietReason(Volatile.Read(ref _running), allocated - Interlocked.Read(ref _allocatedAtRelease), sinceTick) is { } reason)
        {
            Release(reason);
        }
    }

    /// <summary>
    /// Why a 10 s check with no long invocation should release, or null: much allocated since the last release while
    /// nothing runs, or the server gone idle (almost nothing allocated in the last 10 s) after a moderate amount.
    /// </summary>
    /// <param name="running">Invocations running now.</param>
    /// <param name="sinceRelease">Bytes allocated since the last release.</param>
    /// <param name="sinceTick">Bytes allocated since the previous check, 10 s ago.</param>
    public static string? QuietReason(int running, long sinceRelease, long sinceTick) => running > 0 ? null
        : sinceRelease > QuietReleaseBytes ? "a quiet moment after much allocation"
        : sinceRelease > IdleReleaseBytes && sinceTick < IdleTickBytes ? "the server went idle"
        : null;

    private void Release(string after)
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRelease)) < MinimumInterval || Interlocked.Exchange(ref _releasing, 1) == 1)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                long before = Environment.WorkingSet;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                // Native blocks owned by unreachable wrappers (statements, crypto contexts) are freed by their
                // finalizers, which run after the collection: wait for them before trimming the C heap.
                GC.WaitForPendingFinalizers();
                ReleaseCaches();
                NativeHeap.Trim();
                Releases++;
                var heap = GC.GetGCMemoryInfo(GCKind.Any);
                var native = NativeHeap.Usage();
                _logger.LogInformation("Released memory after {After}: working set {Before} MB, now {Now} MB (managed heap {Heap} MB, committed {Committed} MB; C heap in use {NativeInUse} MB, free {NativeFree} MB)",
                    after, before / 1_048_576, Environment.WorkingSet / 1_048_576, heap.HeapSizeBytes / 1_048_576, heap.TotalCommittedBytes / 1_048_576,
                    native?.InUse / 1_048_576, native?.Free / 1_048_576);
            }
            finally
            {
                Interlocked.Exchange(ref _allocatedAtRelease, GC.GetTotalAllocatedBytes());
                Interlocked.Exchange(ref _lastRelease, Stopwatch.GetTimestamp());
                Volatile.Write(ref _releasing, 0);
            }
        }, null);
    }

    private void ReleaseCaches()
    {
        try
        {
            _releaseCaches?.Invoke();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or System.Data.Common.DbException)
        {
            // Best effort: a store being disposed or busy keeps its caches until the next release.
            _logger.LogWarning("Could not release the store's caches: {Error}", ex.Message);
        }
    }

    private void LogFigures()
    {
        var heap = GC.GetGCMemoryInfo(GCKind.Any);
        var native = NativeHeap.Usage();
        _logger.LogDebug("Memory: working set {WorkingSet} MB, managed heap {Heap} MB (committed {Committed} MB), C heap in use {NativeInUse} MB (free {NativeFree} MB)",
            Environment.WorkingSet / 1_048_576, GC.GetTotalMemory(forceFullCollection: false) / 1_048_576, heap.TotalCommittedBytes / 1_048_576,
            native?.InUse / 1_048_576, native?.Free / 1_048_576);
    }

    /// <summary>One timed invocation.</summary>
    public readonly struct Tracked : IDisposable
    {
        private readonly MemoryRelease? _owner;
        private readonly string _functionName;
        private readonly long _started;

        internal Tracked(MemoryRelease owner, string functionName, long started)
        {
            _owner = owner;
            _functionName = functionName;
            _started = started;
        }

        /// <inheritdoc />
        public void Dispose() => _owner?.Finished(_functionName, _started);
    }
}
