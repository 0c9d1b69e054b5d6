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
        _next.Clear();
    }
}
