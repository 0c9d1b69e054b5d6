namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// Prints a progress line every few seconds while a long phase runs (loading and recomputing 100,000 profiles on
/// the in-memory Cosmos-API server takes minutes), so that whoever runs the bench sees it working.
/// </summary>
internal sealed class ProgressTicker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressTicker(TextWriter output, TimeSpan interval, Func<string> describe) =>
        _loop = LoopAsync(output, interval, describe, _stop.Token);

    /// <summary>Starts printing <paramref name="describe"/>() every <paramref name="interval"/>.</summary>
    public static ProgressTicker Start(TextWriter output, TimeSpan interval, Func<string> describe) => new(output, interval, describe);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task LoopAsync(TextWriter output, TimeSpan interval, Func<string> describe, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                output.WriteLine(describe());
                output.Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the phase is over.
        }
    }
}
