using System.Diagnostics;
using System.Globalization;

namespace CustomerValue.Cli.Clv;

/// <summary>
/// Wall time per phase of a command (<c>--timings</c>), written to stderr as <c>timing: phase 0.123 s</c>, so an analyst
/// sees where a long run spends its time and the benchmark can report the breakdown. Silent when disabled.
/// </summary>
internal sealed class PhaseTimings(TextWriter? output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Ends the current phase: writes its name and the time since the previous mark.</summary>
    public void Mark(string phase)
    {
        if (output is not null)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "timing: {0} {1:0.000} s", phase, _clock.Elapsed.TotalSeconds));
        }

        _clock.Restart();
    }
}
