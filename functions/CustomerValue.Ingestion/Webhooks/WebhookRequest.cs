namespace CustomerValue.Ingestion.Webhooks;

/// <summary>A webhook delivery exactly as received: signatures are checked over these bytes, never a re-serialization.</summary>
/// <param name="Platform">The platform named by the route, e.g. <c>shopify</c>.</param>
/// <param name="Headers">Request headers; look-ups must be case-insensitive (see <see cref="Create"/>).</param>
/// <param name="Body">The raw body.</param>
/// <param name="ReceivedAt">When the request arrived; signature timestamps are judged against it.</param>
public sealed record WebhookRequest(
    string Platform,
    IReadOnlyDictionary<string, string> Headers,
    ReadOnlyMemory<byte> Body,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Builds a request whose header look-ups ignore case, as HTTP requires.</summary>
    public static WebhookRequest Create(
        string platform,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlyMemory<byte> body,
        DateTimeOffset receivedAt)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        return new WebhookRequest(platform, map, body, receivedAt);
    }

    /// <summary>A header's trimmed value, or null when absent or empty. Case-insensitive even if the caller's map is not.</summary>
    public string? Header(string name)
    {
        if (!Headers.TryGetValue(name, out var value))
        {
            value = Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
