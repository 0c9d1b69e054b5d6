using System.Collections.Concurrent;

namespace CustomerValue.PlatformFakes;

/// <summary>One scripted failure: a status with a body (and Retry-After), or a hang longer than the client waits.</summary>
/// <param name="Status">HTTP status to answer, or 0 to hang.</param>
/// <param name="Body">The body; null for the platform's default error body for that status.</param>
/// <param name="RetryAfterSeconds">Retry-After header value.</param>
/// <param name="Hang">How long to hang before answering (timeouts).</param>
public sealed record Fault(int Status, string? Body = null, int? RetryAfterSeconds = null, TimeSpan? Hang = null);

/// <summary>Failures to answer before the normal behaviour, in order; or every request, while <see cref="FailAll"/> is set.</summary>
public sealed class FaultPlan
{
    private readonly ConcurrentQueue<Fault> _next = new();

    /// <summary>While set, every request waits at this gate before it is answered (a platform slow to answer).</summary>
    public RequestGate? Gate { get; set; }

    /// <summary>Answer every request with this fault until cleared.</summary>
    public Fault? FailAll { get; set; }

    /// <summary>Queues faults for the next requests.</summary>
    public void Next(params Fault[] faults)
    {
        foreach (var fault in faults)
        {
            _next.Enqueue(fault);
        }
    }

    /// <summary>The fault for this request, if any.</summary>
    public Fault? Take() => FailAll ?? (_next.TryDequeue(out var fault) ? fault : null);

    /// <summary>Forgets every planned fault.</summary>
    public void Clear()
    {
        FailAll = null;
        Gate?.Open();
        Gate = null;
        _next.Clear();
    }
}

/// <summary>Holds requests until opened, and tells when the first one arrived: a request caught in flight.</summary>
public sealed class RequestGate
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first request reached the gate.</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Lets every held and later request through.</summary>
    public void Open() => _opened.TrySetResult();

    /// <summary>Waits until the gate is opened.</summary>
    public async Task PassAsync(CancellationToken cancellationToken)
    {
        _arrived.TrySetResult();
        await _opened.Task.WaitAsync(cancellationToken);
    }
}
