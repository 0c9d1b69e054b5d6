using CustomerValue.Functions.Host;
using CustomerValue.Ingestion.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

using CustomerValue.Application.Webhooks;

namespace CustomerValue.Functions.Functions.IngestShopWebhook;

/// <summary>
/// <c>POST api/webhooks/{platform}</c>: shop webhooks. HTTP-only in function.json, so the host forwards the raw
/// request and signatures are checked over the exact bytes the shop signed.
/// </summary>
public static class IngestShopWebhookFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "IngestShopWebhook";

    /// <summary>The default body limit (configuration <c>Webhooks:MaxBodyBytes</c>); Shopify orders are far smaller.</summary>
    public const int DefaultMaxBodyBytes = 5 * 1024 * 1024;

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/webhooks/{platform}", async (string platform, HttpRequest request, WebhookPlatforms platforms, WebhookIngestor ingestor, IConfiguration configuration, TimeProvider clock, WebhookBodyGate gate, CancellationToken ct) =>
        {
            // Held until the delivery is handled: its body stays referenced until then.
            using var slot = await gate.EnterAsync(ct);
            return await HandleAsync(platform, request, platforms, ingestor, configuration.GetValue("Webhooks:MaxBodyBytes", DefaultMaxBodyBytes), clock, ct);
        }).WithName(Name).RequireRateLimiting(WebhookRateLimiting.PolicyName);

    /// <summary>Reads the delivery within the size limit and hands it to the ingestor.</summary>
    public static async Task<Results<Ok<WebhookAnswer>, BadRequest<ApiError>, UnauthorizedHttpResult, JsonHttpResult<ApiError>, NotFound<ApiError>>> HandleAsync(
        string platform, HttpRequest request, WebhookPlatforms platforms, WebhookIngestor ingestor, int maxBodyBytes, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(ingestor);
        if (!platforms.TryGet(platform, out var handler))
        {
            return TypedResults.NotFound(new ApiError($"Unknown webhook platform '{platform}'.", platforms.Names));
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return TooLarge(maxBodyBytes);
        }

        var body = await RequestBody.ReadLimitedAsync(request.Body, maxBodyBytes, cancellationToken, request.ContentLength);
        if (body is null)
        {
            return TooLarge(maxBodyBytes);
        }

        var headers = request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString()));
        var outcome = await ingestor.IngestAsync(handler, WebhookRequest.Create(handler.Name, headers, body, clock.GetUtcNow()), cancellationToken);
        return outcome.Kind switch
        {
            WebhookOutcomeKind.Unauthorized => TypedResults.Unauthorized(),
            WebhookOutcomeKind.Invalid => TypedResults.BadRequest(new ApiError(outcome.Message)),
            _ => TypedResults.Ok(new WebhookAnswer(outcome.Kind.ToString().ToLowerInvariant(), outcome.Message)),
        };
    }

    private static JsonHttpResult<ApiError> TooLarge(int maxBodyBytes) =>
        TypedResults.Json(new ApiError($"The webhook body exceeds {maxBodyBytes} bytes."), statusCode: StatusCodes.Status413PayloadTooLarge);
}

/// <summary>The 200 answer to a webhook.</summary>
/// <param name="Status">accepted, duplicate or ping.</param>
/// <param name="Message">What was done.</param>
public sealed record WebhookAnswer(string Status, string Message);
