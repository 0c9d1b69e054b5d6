using System.Text.Json.Serialization;

namespace CustomerValue.Functions.Host;

/// <summary>
/// The custom-handler response: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>. The host writes
/// <see cref="Logs"/> to the function's log stream. Values are objects, never bare strings: the host decodes any
/// string that happens to be valid base64.
/// </summary>
/// <param name="Outputs">Output binding values by name (none of our functions has output bindings).</param>
/// <param name="Logs">Lines for the function's log.</param>
/// <param name="ReturnValue">A summary object of what the invocation did.</param>
public sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    /// <summary>A successful result carrying a summary and log lines.</summary>
    public static InvocationResult Success(object? returnValue, params string[] logs) =>
        new(new Dictionary<string, object?>(), logs, returnValue);

    /// <summary>A failed or rejected result; sent with a non-2xx status so the host fails (and retries) the invocation.</summary>
    public static InvocationResult Failure(string message) =>
        new(new Dictionary<string, object?>(), [message], new { error = message });
}
