using System.Globalization;
using System.Runtime;

namespace CustomerValue.Benchmarks;

/// <summary>
/// What the runtime itself spent, read before and after a timed part: allocations and garbage-collection pauses, and
/// JIT time. On a shared 2-core machine these say where CPU went when a profiler is not at hand.
/// </summary>
/// <param name="AllocatedBytes">Bytes allocated by every thread so far.</param>
/// <param name="Gen0">Generation-0 collections so far.</param>
/// <param name="Gen2">Generation-2 collections so far.</param>
/// <param name="GcPause">Time the process was paused for collections so far.</param>
/// <param name="Jit">Time spent compiling methods so far.</param>
public sealed record RuntimeCost(long AllocatedBytes, int Gen0, int Gen2, TimeSpan GcPause, TimeSpan Jit)
{
    /// <summary>The figures now.</summary>
    public static RuntimeCost Now() =>
        new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(), System.Runtime.JitInfo.GetCompilationTime());

    /// <summary>What was spent since <paramref name="before"/>, as one line.</summary>
    public string Since(RuntimeCost before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return string.Create(CultureInfo.InvariantCulture,
            $"allocated {(AllocatedBytes - before.AllocatedBytes) / 1e9:F2} GB, {Gen0 - before.Gen0} gen-0 and {Gen2 - before.Gen2} gen-2 collections, GC pauses {(GcPause - before.GcPause).TotalSeconds:F1} s, JIT {(Jit - before.Jit).TotalSeconds:F1} s ({GCSettings.IsServerGC switch { true => "server", false => "workstation" }} GC)");
    }
}
