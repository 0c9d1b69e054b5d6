using System.Diagnostics;
using System.Globalization;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Wall and CPU time per phase of a command (<c>--timings</c>), written to stderr as
/// <c>timing: phase 0.123 s (cpu 0.200 s)</c>, so an analyst sees where a long run spends its time and the benchmark can
/// report the breakdown. The process CPU time tells parallel phases apart and stays readable on a busy machine. Silent
/// when disabled.
/// </summary>
internal sealed class PhaseTimings(TextWriter? output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _cpu = Environment.CpuUsage.TotalTime;

    /// <summary>Ends the current phase: writes its name and the time since the previous mark.</summary>
    public void Mark(string phase)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        if (output is not null)
        {
            output.WriteLine(string.Format(
                CultureInfo.InvariantCulture, "timing: {0} {1:0.000} s (cpu {2:0.000} s)", phase, _clock.Elapsed.TotalSeconds, (cpu - _cpu).TotalSeconds));
        }

        _cpu = cpu;
        _clock.Restart();
    }
}
