using System.Diagnostics;
using System.Globalization;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Wall, CPU and JIT time and allocated memory per phase of a command (<c>--timings</c>), written to stderr as
/// <c>timing: phase 0.123 s (cpu 0.200 s, jit 0.010 s, alloc 12 MB)</c>, so an analyst sees where a long run spends its time and the
/// benchmark can report the breakdown. The process CPU time tells parallel phases apart and stays readable on a busy
/// machine; the JIT time (all threads) shows what a fresh process pays to compile. The first line, <c>start-up</c>,
/// covers the process from its start to the command (runtime, command-line parsing). Silent when disabled.
/// </summary>
internal sealed class PhaseTimings
{
    private readonly TextWriter? _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _cpu;
    private TimeSpan _jit;
    private long _allocated;

    /// <summary>Starts timing; with an output, first writes the start-up phase.</summary>
    public PhaseTimings(TextWriter? output)
    {
        _output = output;
        if (output is not null)
        {
            using var process = Process.GetCurrentProcess();
            Write("start-up", DateTime.Now - process.StartTime, Environment.CpuUsage.TotalTime, System.Runtime.JitInfo.GetCompilationTime(), GC.GetTotalAllocatedBytes());
        }

        _cpu = Environment.CpuUsage.TotalTime;
        _jit = System.Runtime.JitInfo.GetCompilationTime();
        _allocated = GC.GetTotalAllocatedBytes();
    }

    /// <summary>Ends the current phase: writes its name and the time since the previous mark.</summary>
    public void Mark(string phase)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        long allocated = GC.GetTotalAllocatedBytes();
        Write(phase, _clock.Elapsed, cpu - _cpu, jit - _jit, allocated - _allocated);
        _cpu = cpu;
        _jit = jit;
        _allocated = allocated;
        _clock.Restart();
    }

    private void Write(string phase, TimeSpan wall, TimeSpan cpu, TimeSpan jit, long allocated) => _output?.WriteLine(string.Format(
        CultureInfo.InvariantCulture,
        "timing: {0} {1:0.000} s (cpu {2:0.000} s, jit {3:0.000} s, alloc {4:0} MB)",
        phase,
        wall.TotalSeconds,
        cpu.TotalSeconds,
        jit.TotalSeconds,
        allocated / 1048576.0));
}
