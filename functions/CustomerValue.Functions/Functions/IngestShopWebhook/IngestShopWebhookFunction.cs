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

    /// <summary>
    /// The default body limit (configuration <c>Webhooks:MaxBodyBytes</c>). No platform documents a maximum for its
    /// HTTP deliveries: Shopify says bodies can exceed a megabyte for large orders and caps the payloads it sends to
    /// Amazon EventBridge at 1,000,000 bytes; WooCommerce sends the REST representation of the order, a few KB. 5 MB
    /// leaves room above both; a longer body is answered 413 without being read past the limit.
    /// </summary>
    public const int DefaultMaxBodyBytes = 5 * 1024 * 1024;

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/webhooks/{platform}", async (string platform, HttpRequest request, WebhookPlatforms platforms, WebhookIngestor ingestor, WebhookSecrets secrets, IConfiguration configuration, TimeProvider clock, WebhookBodyGate gate, ILoggerFactory logs, CancellationToken ct) =>
        {
            // Held until the delivery is handled: its body stays referenced until then.
            using var slot = await gate.EnterAsync(ct);
            var limit = configuration.GetValue("Webhooks:MaxBodyBytes", DefaultMaxBodyBytes);
            return await HandleAsync(platform, request, platforms, ingestor, secrets, limit, clock, logs.CreateLogger(typeof(IngestShopWebhookFunction)), ct);
        }).WithName(Name).RequireRateLimiting(WebhookRateLimiting.PolicyName);

    /// <summary>
    /// Checks the signature as the body streams into a pooled buffer and hands a signed delivery to the ingestor. What
    /// the headers settle (no signature, no secret, a declared length over the limit) is answered before the body is
    /// read; a forged body is refused 401 once read, before anything parses it; a body over the limit is answered 413
    /// without being read further.
    /// </summary>
    public static async Task<Results<Ok<WebhookAnswer>, BadRequest<ApiError>, UnauthorizedHttpResult, JsonHttpResult<ApiError>, NotFound<ApiError>>> HandleAsync(
        string platform, HttpRequest request, WebhookPlatforms platforms, WebhookIngestor ingestor, WebhookSecrets secrets, int maxBodyBytes, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(ingestor);
        ArgumentNullException.ThrowIfNull(logger);
        if (!platforms.TryGet(platform, out var handler))
        {
            return TypedResults.NotFound(new ApiError($"Unknown webhook platform '{platform}'.", platforms.Names));
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return TooLarge(maxBodyBytes);
        }

        var headers = request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).ToList();
        var receivedAt = clock.GetUtcNow();
        using var signature = handler.BeginVerify(WebhookRequest.Create(handler.Name, headers, ReadOnlyMemory<byte>.Empty, receivedAt), secrets);
        if (signature.Decided is { } refused)
        {
            return Refuse(logger, handler.Name, refused);
        }

        long limit = Math.Min(maxBodyBytes, signature.MaxBodyBytes ?? long.MaxValue);
        using var body = await PooledRequestBody.ReadAsync(request.Body, limit, signature.IsStreaming ? signature.Append : null, cancellationToken);
        if (body is null)
        {
            // Past the platform's own cap for an unsigned body it cannot be a delivery we accept; past the route's, too large.
            return limit < maxBodyBytes ? Refuse(logger, handler.Name, SignatureCheck.Missing) : TooLarge(maxBodyBytes);
        }

        if (signature.IsStreaming && signature.Complete() is var check && check != SignatureCheck.Valid)
        {
            return Refuse(logger, handler.Name, check);
        }

        // The ingestor checks the signature again over the whole body (cheap next to the work that follows): it is
        // also the path of tools and tests that call it directly.
        var outcome = await ingestor.IngestAsync(handler, WebhookRequest.Create(handler.Name, headers, body.Memory, receivedAt), cancellationToken);
        return outcome.Kind switch
        {
            WebhookOutcomeKind.Unauthorized => TypedResults.Unauthorized(),
            WebhookOutcomeKind.Invalid => TypedResults.BadRequest(new ApiError(outcome.Message)),
            _ => TypedResults.Ok(new WebhookAnswer(outcome.Kind.ToString().ToLowerInvariant(), outcome.Message)),
        };
    }

    private static UnauthorizedHttpResult Refuse(ILogger logger, string platform, SignatureCheck check)
    {
        logger.LogWarning("Rejected a {Platform} webhook before reading it whole: signature {Signature}", platform, check);
        return TypedResults.Unauthorized();
    }

    private static JsonHttpResult<ApiError> TooLarge(int maxBodyBytes) =>
        TypedResults.Json(new ApiError($"The webhook body exceeds {maxBodyBytes} bytes."), statusCode: StatusCodes.Status413PayloadTooLarge);
}

/// <summary>The 200 answer to a webhook.</summary>
/// <param name="Status">accepted, duplicate or ping.</param>
/// <param name="Message">What was done.</param>
public sealed record WebhookAnswer(string Status, string Message);
