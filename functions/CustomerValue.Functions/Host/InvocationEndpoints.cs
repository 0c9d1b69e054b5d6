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

    /// <summary>The invocation is larger than <see cref="HandlerLimits.MaxRequestBodyBytes"/>.</summary>
    public static InvocationOutcome TooLarge(string functionName, long? length) => new(StatusCodes.Status413PayloadTooLarge, InvocationResult.Failure(
        $"The {functionName} invocation is {(length is null ? "larger than" : $"{length} bytes, above")} the handler's limit of {HandlerLimits.MaxRequestBodyBytes} bytes " +
        "(HandlerLimits.MaxRequestBodyBytes): a change-feed batch this large means maxItemsPerInvocation in its function.json is above what the limit allows."));
}

/// <summary>Maps the <c>POST /{FunctionName}</c> routes the host calls for non-HTTP triggers.</summary>
public static class InvocationEndpoints
{
    /// <summary>
    /// Maps <c>POST /{functionName}</c>: reads the body (413 naming the limit when it is larger than
    /// <see cref="HandlerLimits.MaxRequestBodyBytes"/>), parses the invocation (400 naming the problem when it is
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
            var declared = context.Request.ContentLength;
            if (declared > HandlerLimits.MaxRequestBodyBytes)
            {
                logger.LogError("Refused a {Function} invocation of {Bytes} bytes (limit {Limit})", functionName, declared, HandlerLimits.MaxRequestBodyBytes);
                return Respond(InvocationOutcome.TooLarge(functionName, declared));
            }

            // Pooled chunks, returned once parsed: the parsed invocation keeps copies of what it needs.
            PooledRequestBody? body;
            try
            {
                body = await PooledRequestBody.ReadAsync(context.Request.Body, HandlerLimits.MaxRequestBodyBytes, null, context.RequestAborted);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // A body without Content-Length that Kestrel cut off at MaxRequestBodySize.
                body = null;
            }

            if (body is null)
            {
                logger.LogError("Refused a {Function} invocation above {Limit} bytes", functionName, HandlerLimits.MaxRequestBodyBytes);
                return Respond(InvocationOutcome.TooLarge(functionName, null));
            }

            FunctionInvocation? invocation;
            string? error;
            using (body)
            {
                invocation = FunctionInvocation.TryParse(body.Memory, context.Request.Headers[FunctionInvocation.InvocationIdHeader].ToString(), out error);
            }

            if (invocation is null)
            {
                logger.LogWarning("Rejected a malformed {Function} invocation: {Error}", functionName, error);
                return Respond(InvocationOutcome.BadRequest(error!));
            }

            using var timed = context.RequestServices.GetRequiredService<MemoryRelease>().Track(functionName);
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
