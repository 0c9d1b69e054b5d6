using System.Globalization;

namespace CustomerValue.Benchmarks;

/// <summary>The memory figures of the process while a piece of work ran, in bytes: peaks unless said otherwise.</summary>
/// <param name="StartWorkingSet">Working set when sampling started: what the work found, not what it added.</param>
/// <param name="WorkingSet">Peak working set of the process (resident memory: managed heap, native SQLite caches and mapped database pages, code).</param>
/// <param name="Anonymous">Linux only (else 0): peak resident memory not backed by a file — heaps, native allocations.</param>
/// <param name="FileBacked">Linux only (else 0): peak resident file pages — code and memory-mapped files such as the database.</param>
/// <param name="ManagedHeap">Peak bytes the GC counted as allocated and not yet collected.</param>
/// <param name="GcCommitted">Peak memory the GC had committed for its heaps (the heap, plus free space it keeps).</param>
/// <param name="Samples">How many samples were taken.</param>
public sealed record PeakMemory(long StartWorkingSet, long WorkingSet, long Anonymous, long FileBacked, long ManagedHeap, long GcCommitted, int Samples);

/// <summary>
/// Samples the process's memory on a thread of its own every <see cref="Interval"/> until stopped. The process's own
/// high-water mark (<c>PeakWorkingSet64</c>) covers its whole life — file generation and earlier phases included — so
/// the peak of one phase has to be sampled. A dedicated thread keeps sampling when the thread pool is saturated.
/// </summary>
public sealed class PeakMemorySampler : IDisposable
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private const string ProcStatus = "/proc/self/status";
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly long _start;
    private long _workingSet, _anonymous, _fileBacked, _managedHeap, _gcCommitted;
    private int _samples;
    private PeakMemory? _result;

    private PeakMemorySampler()
    {
        Sample();
        _start = _workingSet;
        _thread = new Thread(Run) { IsBackground = true, Name = "bench memory sampler" };
        _thread.Start();
    }

    /// <summary>Starts sampling now.</summary>
    public static PeakMemorySampler Start() => new();

    /// <summary>Stops sampling (after one last sample) and returns the figures; later calls return the same figures.</summary>
    public PeakMemory Stop()
    {
        if (_result is null)
        {
            _stop.Set();
            _thread.Join();
            Sample();
            _result = new PeakMemory(_start, _workingSet, _anonymous, _fileBacked, _managedHeap, _gcCommitted, _samples);
        }

        return _result;
    }

    /// <summary>The peaks so far, while sampling goes on (each figure is one aligned 64-bit read).</summary>
    public PeakMemory Snapshot() =>
        _result ?? new PeakMemory(_start, Interlocked.Read(ref _workingSet), Interlocked.Read(ref _anonymous), Interlocked.Read(ref _fileBacked),
            Interlocked.Read(ref _managedHeap), Interlocked.Read(ref _gcCommitted), Volatile.Read(ref _samples));

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Wait(Interval))
        {
            Sample();
        }
    }

    // Only the sampler thread writes between Start and Stop, and Stop joins it before reading: no locking needed.
    private void Sample()
    {
        _workingSet = Math.Max(_workingSet, Environment.WorkingSet);
        _managedHeap = Math.Max(_managedHeap, GC.GetTotalMemory(forceFullCollection: false));
        _gcCommitted = Math.Max(_gcCommitted, GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);
        if (OperatingSystem.IsLinux())
        {
            // The working set alone does not say whether the import holds memory or the kernel keeps mapped database
            // pages resident (reclaimable under pressure); the kernel's split does.
            try
            {
                foreach (var line in File.ReadLines(ProcStatus))
                {
                    if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    {
                        _anonymous = Math.Max(_anonymous, Kilobytes(line));
                    }
                    else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                    {
                        _fileBacked = Math.Max(_fileBacked, Kilobytes(line));
                    }
                }
            }
            catch (IOException)
            {
                // No split on this kernel; the working set is still sampled.
            }
        }

        _samples++;
    }

    /// <summary>Reads a line such as <c>RssAnon:	  123456 kB</c> as bytes.</summary>
    private static long Kilobytes(string line)
    {
        var value = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        var space = value.IndexOf(' ');
        return long.TryParse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }
}
