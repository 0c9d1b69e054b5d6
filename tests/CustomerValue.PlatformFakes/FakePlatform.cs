using System.Text.Json;

namespace CustomerValue.PlatformFakes;

/// <summary>What every fake platform shares: its fault plan, its request log, and the answering of scripted faults.</summary>
public abstract class FakePlatform
{
    /// <summary>Scripted failures.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Requests received.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>The platform's error body for a status (its documented shape).</summary>
    protected abstract string ErrorBody(int status, string message);

    /// <summary>Answers a scripted fault if one is due; true when it did.</summary>
    protected async Task<bool> TryFaultAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Faults.Gate is { } gate)
        {
            await gate.PassAsync(context.RequestAborted);
        }

        if (Faults.Take() is not { } fault)
        {
            return false;
        }

        if (fault.Hang is { } hang)
        {
            try
            {
                await Task.Delay(hang, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Requests.Add(new LoggedRequest(context.Request.Method, context.Request.Path, 0, 0, "fault: hang"));
                return true;
            }
        }

        if (fault.Status == 0)
        {
            return true;
        }

        if (fault.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Requests.Add(new LoggedRequest(context.Request.Method, context.Request.Path, 0, fault.Status, "fault: " + fault.Status));
        await WriteAsync(context, fault.Status, fault.Body ?? ErrorBody(fault.Status, "Scripted failure."));
        return true;
    }

    /// <summary>Refuses a request that breaks the documented format, logging why.</summary>
    protected async Task RefuseAsync(HttpContext context, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        Requests.Add(new LoggedRequest(context.Request.Method, context.Request.Path, 0, status, message));
        await WriteAsync(context, status, ErrorBody(status, message));
    }

    /// <summary>Accepts a request and answers <paramref name="body"/>.</summary>
    protected async Task AcceptAsync(HttpContext context, int status, int items, object? body, string contentType = "application/json")
    {
        ArgumentNullException.ThrowIfNull(context);
        Requests.Add(new LoggedRequest(context.Request.Method, context.Request.Path, items, status, null));
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(JsonSerializer.Serialize(body));
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }
}
