using System.Net;
using CustomerValue.Functions.Functions;
using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;

namespace CustomerValue.Functions.Host;

/// <summary>
/// Answers an HTTP request whose handling failed on our side with a JSON body instead of an empty 500: 503 with
/// <c>Retry-After</c> when the store was briefly unavailable (a timeout, Cosmos DB throttling or unavailability, a
/// busy SQLite file), so that a shop's retry — which every platform sends for any non-2xx — is also what the answer
/// asks for; 500 naming nothing internal otherwise. Nothing a caller sent ends here: bad input is answered 4xx by
/// the handlers, and a request that cannot be read (its body ended early: the caller hung up) gets the 4xx Kestrel gives
/// it, logged as information. The host-invocation routes answer their own failures (see <see cref="InvocationEndpoints"/>).
/// </summary>
public sealed class TransientFailures(RequestDelegate next, ILogger<TransientFailures> logger)
{
    /// <summary>Seconds a caller is asked to wait before retrying after a 503.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Runs the rest of the pipeline and answers what it throws.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // The request could not be read, most often because the caller hung up in the middle of its body (a shop's
            // delivery timing out, a load generator stopping): its answer, not a failure on our side to alert on.
            logger.LogInformation("{Method} {Path} could not be read: {Reason}", context.Request.Method, context.Request.Path, ex.Message);
            context.Response.Clear();
            context.Response.StatusCode = ex.StatusCode;
            await context.Response.WriteAsJsonAsync(new ApiError($"The request could not be read: {ex.Message}"));
        }
        catch (Exception ex) when (!context.Response.HasStarted && !(ex is OperationCanceledException && context.RequestAborted.IsCancellationRequested))
        {
            bool transient = IsTransient(ex);
            logger.Log(transient ? LogLevel.Warning : LogLevel.Error, ex, "{Method} {Path} failed ({Kind})", context.Request.Method, context.Request.Path, transient ? "transient" : "unexpected");
            context.Response.Clear();
            context.Response.StatusCode = transient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
            if (transient)
            {
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsJsonAsync(new ApiError(transient
                ? $"The store is briefly unavailable; nothing was lost. Retry in {RetryAfterSeconds} seconds."
                : "The request failed on our side; it is logged. Retrying later may help."));
        }
    }

    /// <summary>Whether <paramref name="exception"/> (or one inside it) is a failure that a retry can get past.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                case CosmosException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError }:
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                    return true;
            }
        }

        return false;
    }
}
