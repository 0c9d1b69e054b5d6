using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerValue.Domain.Segments;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Platforms.Webhooks;

/// <summary>
/// <c>webhook</c>: every joined/left event POSTed to <c>Url</c>, signed with the Standard Webhooks scheme
/// (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature: v1,base64(HMAC-SHA256(secret, id.timestamp.body))</c>
/// with <c>Secret</c> as <c>whsec_…</c>). The body is <c>{"type","timestamp","data"}</c> as the scheme recommends:
/// one event per request (<c>segment.joined</c> / <c>segment.left</c>), or with <c>BatchSize</c> above 1 up to that
/// many as <c>segment.changes</c> with <c>data.events</c>. The message id is derived from the event ids, so a
/// redelivery carries the same <c>webhook-id</c> and the receiver can drop it. Events carry the profile id, never an
/// e-mail or phone.
/// </summary>
public sealed class SignedWebhookDestination : IAudienceDestination
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly Uri _url;
    private readonly string _secret;

    /// <summary>Creates the destination; <c>Url</c> and <c>Secret</c> are required.</summary>
    public SignedWebhookDestination(DestinationSettings settings, HttpClient http, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _http = http;
        _clock = clock;
        _url = new Uri(settings.Required("Url"));
        _secret = settings.Required("Secret");
        MaxBatchSize = Math.Clamp((int)settings.Number("BatchSize", 1), 1, 1000);
    }

    /// <inheritdoc />
    public DestinationSettings Settings { get; }

    /// <inheritdoc />
    public int MaxBatchSize { get; }

    /// <inheritdoc />
    public async Task<DeliveryReport> SendAsync(IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var chunk in changes.Chunk(MaxBatchSize))
        {
            var now = _clock.GetUtcNow();
            var events = chunk.Select(c => WebhookEvent.From(c.Change)).ToList();
            object body = events.Count == 1
                ? new WebhookMessage(events[0].Kind == "joined" ? "segment.joined" : "segment.left", now, events[0])
                : new WebhookMessage("segment.changes", now, new { events });
            var json = JsonSerializer.SerializeToUtf8Bytes(body, DocumentJson.Options);
            var id = "msg_" + DeliveryQueue.BatchId(Settings.Name, chunk)[2..];
            var timestamp = now.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(json) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignatures.SignStandardWebhook(_secret, id, timestamp, json));
            using var response = await _http.SendAsync(request, cancellationToken);
            await HttpAnswers.EnsureSuccessAsync(response, $"Webhook {_url.Host}", cancellationToken);
        }

        return new DeliveryReport(changes.Count, Detail: $"{(changes.Count + MaxBatchSize - 1) / MaxBatchSize} requests");
    }

    private sealed record WebhookMessage(string Type, DateTimeOffset Timestamp, object Data);

    /// <summary>The event as a webhook receiver sees it.</summary>
    internal sealed record WebhookEvent(
        string EventId,
        string Kind,
        string Segment,
        string ProfileId,
        string? RunId,
        DateTimeOffset OccurredAt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? PredictedClv,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason)
    {
        public static WebhookEvent From(SegmentChange change) => new(
            change.EventId, change.Kind == SegmentChangeKind.Joined ? "joined" : "left", change.Segment, change.ProfileId, change.RunId,
            change.OccurredAt, change.PredictedClv, change.Reason);
    }
}
