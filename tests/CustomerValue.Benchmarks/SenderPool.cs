using System.Diagnostics;

namespace CustomerValue.Benchmarks;

/// <summary>
/// Concurrent workers that take the next item in order (so the shop's time order is roughly kept) until none is
/// left; each item's latency and completion time are recorded and its outcome counted.
/// </summary>
internal static class SenderPool
{
    /// <summary>Runs <paramref name="send"/> over <paramref name="items"/> with <paramref name="senders"/> workers.</summary>
    /// <param name="items">What to send, in order.</param>
    /// <param name="senders">Concurrent workers.</param>
    /// <param name="send">Sends one item; returns its outcome.</param>
    /// <param name="latencies">Per item, milliseconds from start to outcome; null to skip.</param>
    /// <param name="completions">Per item, stopwatch ticks from the pool's start to the outcome (for the worst second); null to skip.</param>
    /// <param name="cancellationToken">Stops the workers.</param>
    /// <returns>How many items ended in each outcome (an exception counts as <c>exception TypeName</c>).</returns>
    public static async Task<Dictionary<string, int>> RunAsync<TItem>(
        IReadOnlyList<TItem> items, int senders, Func<TItem, CancellationToken, Task<string>> send, double[]? latencies, long[]? completions, CancellationToken cancellationToken)
    {
        var next = -1;
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var origin = Stopwatch.GetTimestamp();
        async Task SenderAsync()
        {
            await Task.Yield();
            int index;
            while ((index = Interlocked.Increment(ref next)) < items.Count)
            {
                var start = Stopwatch.GetTimestamp();
                string status;
                try
                {
                    status = await send(items[index], cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    status = "exception " + ex.GetType().Name;
                }

                var end = Stopwatch.GetTimestamp();
                if (latencies is not null)
                {
                    latencies[index] = Stopwatch.GetElapsedTime(start, end).TotalMilliseconds;
                }

                if (completions is not null)
                {
                    completions[index] = end - origin;
                }

                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => SenderAsync()));
        return statuses;
    }
}
