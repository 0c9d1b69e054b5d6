namespace CustomerValue.Functions.Functions;

/// <summary>The body of every 4xx answer: what was wrong, in words a caller can act on.</summary>
/// <param name="Error">The message.</param>
/// <param name="Details">Optional specifics (e.g. the supported platforms).</param>
public sealed record ApiError(string Error, IReadOnlyList<string>? Details = null);
