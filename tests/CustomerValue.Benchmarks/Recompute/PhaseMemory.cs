using System.Globalization;

namespace CustomerValue.Benchmarks.Recompute;

/// <summary>
/// Prints what the recompute holds at the end of each phase: the managed heap after a full blocking collection (so only
/// what the run still references counts; the collection's time is left out of the run's phase timings), its growth since
/// the run started, per profile, and the peak working set and managed heap sampled so far. Where the peak lies between two
/// phase ends, the growth of the sampled peak says which phase made it.
/// </summary>
internal sealed class PhaseMemory(TextWriter output)
{
    private const double Mb = 1024 * 1024;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private PeakMemorySampler? _sampler;
    private long _startHeap;

    /// <summary>Profiles in the store, for the per-profile figures.</summary>
    public int Profiles { get; set; }

    /// <summary>Starts a run: its heap now is what the phases' growth is measured from.</summary>
    public void Begin(PeakMemorySampler sampler)
    {
        _sampler = sampler;
        _startHeap = GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The end of one phase (called by the recompute while that phase's state is held).</summary>
    public void Record(string phase)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var peak = _sampler?.Snapshot();
        output.WriteLine(string.Format(C,
            "    end of {0}: managed heap {1:N0} MB after a full collection ({2:+#,0;-#,0;0} MB since the start, {3:N0} bytes per profile); working set {4:N0} MB; peaks so far: working set {5:N0} MB, managed heap {6:N0} MB",
            phase, heap / Mb, (heap - _startHeap) / Mb, Profiles == 0 ? 0 : (heap - _startHeap) / (double)Profiles,
            Environment.WorkingSet / Mb, (peak?.WorkingSet ?? 0) / Mb, (peak?.ManagedHeap ?? 0) / Mb));
        output.Flush();
    }
}
