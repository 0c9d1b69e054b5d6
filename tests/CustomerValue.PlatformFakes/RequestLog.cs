using System.Collections.Concurrent;

namespace CustomerValue.PlatformFakes;

/// <summary>A request a fake accepted or refused: what a test asserts on.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path after the platform's prefix.</param>
/// <param name="Items">Members/rows/profiles/events it carried.</param>
/// <param name="Status">The status answered.</param>
/// <param name="Error">Why it was refused, if it was.</param>
public sealed record LoggedRequest(string Method, string Path, int Items, int Status, string? Error);

/// <summary>The requests of one fake platform.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<LoggedRequest> _requests = new();

    /// <summary>Every request so far.</summary>
    public IReadOnlyList<LoggedRequest> All => [.. _requests];

    /// <summary>Records a request.</summary>
    public void Add(LoggedRequest request) => _requests.Enqueue(request);

    /// <summary>Requests refused for breaking the documented format (not scripted faults).</summary>
    public IReadOnlyList<LoggedRequest> FormatErrors => [.. _requests.Where(r => r.Error is not null && !r.Error.StartsWith("fault", StringComparison.Ordinal))];
}
