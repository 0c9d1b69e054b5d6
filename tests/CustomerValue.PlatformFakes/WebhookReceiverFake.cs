using System.Collections.Concurrent;
using System.Text.Json;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace CustomerValue.PlatformFakes;

/// <summary>
/// A webhook receiver that verifies every delivery with the StandardWebhooks library (an implementation independent
/// of ours) against <see cref="Secret"/>, answers 401 when the signature is wrong, and keeps the events it accepted
/// and the message ids it saw (a redelivery repeats its <c>webhook-id</c>).
/// </summary>
public sealed class WebhookReceiverFake : FakePlatform
{
    /// <summary>The signing secret the receiver shares with the destination.</summary>
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /// <summary>Accepted events (the <c>data</c> of each, or each of <c>data.events</c>).</summary>
    public ConcurrentQueue<JsonElement> Events { get; } = new();

    /// <summary>Message ids received, with how often.</summary>
    public ConcurrentDictionary<string, int> MessageIds { get; } = new();

    /// <summary>Maps the route under <paramref name="prefix"/>.</summary>
    public void Map(IEndpointRouteBuilder app, string prefix) => app.MapPost(prefix + "/{name}", ReceiveAsync);

    private async Task ReceiveAsync(HttpContext context, string name)
    {
        if (await TryFaultAsync(context))
        {
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        try
        {
            new StandardWebhook(Secret).Verify(body, context.Request.Headers);
        }
        catch (Exception ex) when (ex is WebhookVerificationException or ArgumentException or FormatException)
        {
            await RefuseAsync(context, 401, "signature: " + ex.Message);
            return;
        }

        MessageIds.AddOrUpdate(context.Request.Headers["webhook-id"].ToString(), 1, (_, n) => n + 1);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var data = root.GetProperty("data");
        var events = root.GetProperty("type").GetString() == "segment.changes" ? [.. data.GetProperty("events").EnumerateArray()] : new List<JsonElement> { data };
        foreach (var e in events)
        {
            Events.Enqueue(e.Clone());
        }

        await AcceptAsync(context, 204, events.Count, null);
    }

    /// <inheritdoc />
    protected override string ErrorBody(int status, string message) => JsonSerializer.Serialize(new { error = message });
}
