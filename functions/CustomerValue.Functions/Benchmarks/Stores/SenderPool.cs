using System.Diagnostics;

namespace CustomerValue.Functions.Benchmarks.Stores;

/// <summary>
/// Concurrent workers that take the next item in order (so the shop's time order is roughly kept) until none is
/// left, as <c>bench ingest</c>'s senders do; each item's latency is recorded and its outcome counted.
/// </summary>
internal static class SenderPool
{
    /// <summary>Runs <paramref name="send"/> over <paramref name="items"/> with <paramref name="senders"/> workers.</summary>
    /// <returns>How many items ended in each outcome (an exception counts as <c>exception TypeName</c>).</returns>
    public static async Task<Dictionary<string, int>> RunAsync<TItem>(
        IReadOnlyList<TItem> items, int senders, Func<TItem, CancellationToken, Task<string>> send, double[]? latencies, CancellationToken cancellationToken)
    {
        var next = -1;
        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
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

                if (latencies is not null)
                {
                    latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
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
