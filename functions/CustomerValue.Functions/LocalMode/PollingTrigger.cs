namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// A locally driven trigger that polls a source (the change log, the inbox): it polls again at once while there is
/// work, waits for its interval (or a <see cref="Wake"/>) when idle, and backs off after a failure as the real
/// trigger's retry policy would. <see cref="DrainAsync"/> lets the demo and tests wait until all work present at
/// the call has been handed over.
/// </summary>
public abstract class PollingTrigger(TimeSpan interval, ILogger logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private long _idleRounds;

    /// <summary>Asks the trigger to poll now instead of waiting for its interval.</summary>
    public void Wake() => _wake.Release();

    /// <summary>
    /// Waits until a poll that started after this call found nothing left to do. Work that is present but cannot be done
    /// yet (<see cref="PollOutcome.Waiting"/>) keeps it waiting.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var seen = Interlocked.Read(ref _idleRounds);
        // Two idle rounds after the call: the first may have started before the latest writes.
        while (Interlocked.Read(ref _idleRounds) < seen + 2)
        {
            Wake();
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Polls once and says whether it handed over work, found none, or found some it cannot hand over yet.</summary>
    protected abstract Task<PollOutcome> PollOnceAsync(CancellationToken cancellationToken);

    /// <summary>How long to wait after the given number of consecutive failures.</summary>
    protected abstract TimeSpan RetryDelay(int failures);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var outcome = await PollOnceAsync(stoppingToken);
                failures = 0;
                if (outcome != PollOutcome.Worked)
                {
                    if (outcome == PollOutcome.Idle)
                    {
                        Interlocked.Increment(ref _idleRounds);
                    }

                    await _wake.WaitAsync(interval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = RetryDelay(failures);
                logger.LogWarning("{Trigger} failed ({Error}); retrying in {Delay}", GetType().Name, ex.Message, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>What one poll of a <see cref="PollingTrigger"/> found.</summary>
public enum PollOutcome
{
    /// <summary>It handed over work: poll again at once.</summary>
    Worked,

    /// <summary>Nothing was left to do.</summary>
    Idle,

    /// <summary>Work is left that cannot be handed over yet (a destination backing off, or held by another round).</summary>
    Waiting,
}
