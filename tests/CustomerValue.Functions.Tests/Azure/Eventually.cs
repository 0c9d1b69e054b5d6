using System.Diagnostics;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// Waits for something the server does on its own (a background trigger, a change feed processor) by polling its
/// visible outcome: these tests watch what a user would see rather than reaching into the server to drain it.
/// </summary>
public static class Eventually
{
    /// <summary>The longest a test waits for the server's background work before it fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Polls <paramref name="condition"/> every 100 ms until it holds; fails with <paramref name="explain"/> (evaluated
    /// only then, e.g. the emulator's log) once <paramref name="timeout"/> (default 60 s) has passed.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> explain, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Not reached within {limit.TotalSeconds:0} s: {explain()}");
            }

            await Task.Delay(100);
        }
    }
}
