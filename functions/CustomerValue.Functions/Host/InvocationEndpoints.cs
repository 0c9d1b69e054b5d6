using Microsoft.AspNetCore.Http.HttpResults;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Functions.Host;

/// <summary>What a function handler decided: the HTTP status for the host and the result body.</summary>
/// <param name="StatusCode">2xx completes the invocation; anything else fails it (and lets the host retry).</param>
/// <param name="Result">The body.</param>
public sealed record InvocationOutcome(int StatusCode, InvocationResult Result)
{
    /// <summary>Completed.</summary>
    public static InvocationOutcome Ok(object? returnValue, params string[] logs) => new(StatusCodes.Status200OK, InvocationResult.Success(returnValue, logs));

    /// <summary>The invocation itself is malformed: retrying cannot help, but the host must see it failed.</summary>
    public static InvocationOutcome BadRequest(string message) => new(StatusCodes.Status400BadRequest, InvocationResult.Failure(message));
}

/// <summary>Maps the <c>POST /{FunctionName}</c> routes the host calls for non-HTTP triggers.</summary>
public static class InvocationEndpoints
{
    /// <summary>The largest invocation body read (the host's own request cap is 100 MB).</summary>
    public const int MaxInvocationBytes = 100 * 1024 * 1024;

    /// <summary>
    /// Maps <c>POST /{functionName}</c>: reads the body, parses the invocation (400 naming the problem when it is
    /// malformed), runs the handler, and answers <see cref="InvocationResult"/>. An exception from the handler is an
    /// infrastructure failure: answered 500 with the message in Logs so the host records it and retries.
    /// </summary>
    public static RouteHandlerBuilder MapInvocation(
        this IEndpointRouteBuilder app,
        string functionName,
        Func<FunctionInvocation, IServiceProvider, CancellationToken, Task<InvocationOutcome>> handler)
    {
        return app.MapPost("/" + functionName, async (HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("CustomerValue.Functions." + functionName);
            var body = await RequestBody.ReadLimitedAsync(context.Request.Body, MaxInvocationBytes, context.RequestAborted, context.Request.ContentLength);
            if (body is null)
            {
                return Respond(InvocationOutcome.BadRequest($"The invocation body exceeds {MaxInvocationBytes} bytes."));
            }

            var invocation = FunctionInvocation.TryParse(body, context.Request.Headers[FunctionInvocation.InvocationIdHeader].ToString(), out var error);
            if (invocation is null)
            {
                logger.LogWarning("Rejected a malformed {Function} invocation: {Error}", functionName, error);
                return Respond(InvocationOutcome.BadRequest(error!));
            }

            try
            {
                return Respond(await handler(invocation, context.RequestServices, context.RequestAborted));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                logger.LogError(ex, "{Function} invocation {InvocationId} failed", functionName, invocation.InvocationId);
                return Respond(new InvocationOutcome(StatusCodes.Status500InternalServerError,
                    InvocationResult.Failure($"{functionName} failed: {ex.GetType().Name}: {ex.Message}")));
            }
        }).WithName(functionName);
    }

    private static JsonHttpResult<InvocationResult> Respond(InvocationOutcome outcome) =>
        TypedResults.Json(outcome.Result, DocumentJson.Options, statusCode: outcome.StatusCode);
}
