using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CustomerValue.Storage.Documents;
using Polly;
using Polly.Retry;

namespace CustomerValue.Functions.Host;

/// <summary>
/// Retries a store call that failed transiently (<see cref="TransientFailures.IsTransient"/>: a timeout, Cosmos DB
/// 408/429/500/503, a busy SQLite file) a bounded number of times with jittered exponential back-off (Polly), so a
/// long operation such as the recompute — hundreds of store calls — survives a store that fails a share of them
/// instead of failing as a whole and being re-run by the host. Only transient errors are retried; a conflict, a
/// failed precondition or a missing document goes straight to the caller, whose optimistic loop decides.
/// <para>
/// A write can fail after the store applied it. Retrying is still safe, because every write is one the callers can
/// repeat: an upsert writes the same document again; a create or an ETag-checked replace that had been applied comes
/// back as a conflict or a failed precondition, which the callers' optimistic loops (<see cref="OptimisticUpdate"/>)
/// answer by re-reading and re-applying their idempotent change, exactly as after a concurrent writer; a repeated
/// delete finds nothing to delete.
/// </para>
/// <para>
/// A scan is retried only until its first document arrives: after that a restart would yield documents twice, so a
/// failure part-way reaches the caller (and the recompute is retried whole by the host, as before).
/// </para>
/// <para>
/// The first attempt is made directly, outside the pipeline: an import makes thousands of store calls a second, and
/// running each through the pipeline (its context, its callbacks and their tasks) cost more than many of the calls. Only
/// a call that failed transiently enters the pipeline, which takes that failure as its own first attempt, so the
/// attempts, back-offs and outcome are those of the pipeline alone.
/// </para>
/// </summary>
public sealed class TransientStoreRetries : DelegatingDocumentStore
{
    /// <summary>The default number of retries after the first attempt (<c>Store:TransientRetries</c>).</summary>
    public const int DefaultRetries = 4;

    /// <summary>The default first back-off (<c>Store:RetryDelayMilliseconds</c>); it doubles, with jitter, each retry.</summary>
    public const int DefaultDelayMilliseconds = 50;

    private readonly ResiliencePipeline _pipeline;
    private readonly bool _retries;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="retries"/> of 0 passes every call through unchanged.</summary>
    public TransientStoreRetries(IDocumentStore inner, int retries, TimeSpan firstDelay, TimeProvider? clock = null)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System };
        if (retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(TransientFailures.IsTransient),
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = firstDelay,
            });
        }

        _pipeline = builder.Build();
        _retries = retries > 0;
    }

    /// <summary>The store as configured: <c>Store:TransientRetries</c> retries, first after <c>Store:RetryDelayMilliseconds</c>.</summary>
    public static TransientStoreRetries FromConfiguration(IDocumentStore inner, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        int retries = Math.Clamp(configuration.GetValue("Store:TransientRetries", DefaultRetries), 0, 10);
        int delay = Math.Clamp(configuration.GetValue("Store:RetryDelayMilliseconds", DefaultDelayMilliseconds), 0, 10_000);
        return new TransientStoreRetries(inner, retries, TimeSpan.FromMilliseconds(delay));
    }

    /// <inheritdoc/>
    public override Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(static (inner, ct) => new ValueTask(inner.InitializeAsync(ct)), Inner, cancellationToken).AsTask();

    /// <inheritdoc/>
    public override Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.ReadAsync<T>(container, id, partitionKey, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<StoredDocument<T>> CreateAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.CreateAsync(container, id, partitionKey, body, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<StoredDocument<T>> ReplaceAsync<T>(string container, string id, string partitionKey, T body, string ifMatch, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.ReplaceAsync(container, id, partitionKey, body, ifMatch, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<StoredDocument<T>> UpsertAsync<T>(string container, string id, string partitionKey, T body, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.UpsertAsync(container, id, partitionKey, body, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<bool> DeleteAsync(string container, string id, string partitionKey, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.DeleteAsync(container, id, partitionKey, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<ChangeFeedPage<T>> ReadChangeFeedAsync<T>(string container, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.ReadChangeFeedAsync<T>(container, continuation, maxItems, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<ChangeFeedPage<T>> ReadPartitionChangeFeedAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.ReadPartitionChangeFeedAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<DocumentPage<T>> ReadPartitionAsync<T>(string container, string partitionKey, string? continuation, int maxItems, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.ReadPartitionAsync<T>(container, partitionKey, continuation, maxItems, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.ReadManyAsync<T>(container, addresses, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<StoredDocument<T>>> QueryArrayContainsAsync<T>(string container, string property, string value, string? afterId, int maxItems, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.QueryArrayContainsAsync<T>(container, property, value, afterId, maxItems, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.FindByIdAsync<T>(container, id, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<IReadOnlyList<DocumentStamp>> FindStampsAsync(string container, IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.FindStampsAsync(container, ids, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override Task<StampMatches> MatchStampsAsync(string container, IReadOnlyList<string> ids, IReadOnlyList<string> stamps, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.MatchStampsAsync(container, ids, stamps, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>
    /// A write set is repeated whole. Its first write is the caller's guard (a create or an ETag-checked replace), so a set
    /// that had been applied comes back refused and the caller resolves again, as after a concurrent writer; the rest are
    /// upserts and deletes, which repeat harmlessly.
    /// </remarks>
    public override Task<IReadOnlyList<string?>> WriteAllAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default) =>
        RunAsync(inner => inner.WriteAllAsync(writes, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public override async IAsyncEnumerable<StoredDocument<T>> ScanAsync<T>(string container, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The scan is (re)started until it yields its first document; from then on it is the caller's.
        var (enumerator, first) = await _pipeline.ExecuteAsync(
            static async (state, ct) =>
            {
                var attempt = state.Inner.ScanAsync<T>(state.container, ct).GetAsyncEnumerator(ct);
                try
                {
                    return (attempt, await attempt.MoveNextAsync());
                }
                catch
                {
                    await attempt.DisposeAsync();
                    throw;
                }
            },
            (Inner, container),
            cancellationToken);
        await using (enumerator)
        {
            for (bool more = first; more; more = await enumerator.MoveNextAsync())
            {
                yield return enumerator.Current;
            }
        }
    }

    private Task<TResult> RunAsync<TResult>(Func<IDocumentStore, Task<TResult>> call, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken); // as the pipeline answers before any attempt
        }

        Task<TResult> first;
        try
        {
            first = call(Inner);
        }
        catch (Exception ex) when (_retries && TransientFailures.IsTransient(ex))
        {
            return RetryAsync(call, ExceptionDispatchInfo.Capture(ex), cancellationToken);
        }

        return !_retries || first.IsCompletedSuccessfully ? first : AwaitFirstAsync(first, call, cancellationToken);
    }

    private async Task<TResult> AwaitFirstAsync<TResult>(Task<TResult> first, Func<IDocumentStore, Task<TResult>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await first.ConfigureAwait(false);
        }
        catch (Exception ex) when (TransientFailures.IsTransient(ex))
        {
            return await RetryAsync(call, ExceptionDispatchInfo.Capture(ex), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The pipeline, whose first attempt is the failure the caller's own first attempt met.</summary>
    private Task<TResult> RetryAsync<TResult>(Func<IDocumentStore, Task<TResult>> call, ExceptionDispatchInfo firstFailure, CancellationToken cancellationToken)
    {
        var attempts = 0;
        return _pipeline.ExecuteAsync(async (state, _) =>
        {
            if (++attempts == 1)
            {
                firstFailure.Throw();
            }

            return await state.call(state.Inner);
        }, (call, Inner), cancellationToken).AsTask();
    }
}
