using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;

namespace CustomerValue.Publishing.Platforms.Klaviyo;

/// <summary>
/// <c>klaviyo</c>: one list per segment (<c>Lists:&lt;segment&gt;</c>) through Klaviyo's JSON:API
/// (<c>Authorization: Klaviyo-API-Key …</c>, a <c>revision</c> header, <c>application/vnd.api+json</c>).
/// Joins: <c>POST /api/profile-bulk-import-jobs</c> (up to 10,000 profiles and 5 MB) creates or updates the profiles with the
/// value fields as custom properties (<c>cv_predicted_clv</c>, <c>cv_p_alive</c>, <c>cv_expected_next_order_at</c>,
/// <c>cv_segments</c>) for post-purchase and win-back flows, and adds them to the list. Leaves: the profile ids are
/// looked up by e-mail (<c>GET /api/profiles?filter=any(email,[…])</c>, 100 at a time) and removed from the list
/// (<c>DELETE /api/lists/{id}/relationships/profiles</c>, 1,000 at a time). Consent is not changed here: only people
/// with e-mail consent are queued, and a withdrawal arrives as leaves. An erased person is also deleted from Klaviyo
/// (<c>POST /api/data-privacy-deletion-jobs</c>).
/// </summary>
public sealed class KlaviyoDestination : IAudienceDestination
{
    /// <summary>Profiles per bulk import job, Klaviyo's limit.</summary>
    public const int MaxProfilesPerImport = 10_000;

    /// <summary>Bytes per bulk import job's request body, Klaviyo's limit (5 MB).</summary>
    public const int MaxImportBytes = 5_000_000;

    /// <summary>Room left in a job's body for what surrounds the profiles (type, list relationship).</summary>
    private const int ImportEnvelopeBytes = 1_000;

    /// <summary>E-mails per profile lookup.</summary>
    public const int MaxEmailsPerLookup = 100;

    /// <summary>Profiles per list-relationship call.</summary>
    public const int MaxProfilesPerRelationshipCall = 1_000;

    private const string JsonApi = "application/vnd.api+json";
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly string _apiKey;
    private readonly string _revision;

    /// <summary>Creates the destination; <c>ApiKey</c> and a list per segment are required.</summary>
    public KlaviyoDestination(DestinationSettings settings, HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _http = http;
        _baseUrl = new Uri((settings.Value("BaseUrl") ?? "https://a.klaviyo.com").TrimEnd('/') + "/");
        _apiKey = settings.Required("ApiKey");
        _revision = settings.Value("Revision") ?? "2025-10-15";
        foreach (var segment in settings.Segments)
        {
            _ = settings.List(segment) ?? throw new InvalidOperationException($"Destinations:{settings.Name}:Lists:{segment} (the Klaviyo list id for {segment}) is not set.");
        }
    }

    /// <inheritdoc />
    public DestinationSettings Settings { get; }

    /// <inheritdoc />
    public int MaxBatchSize => MaxProfilesPerImport;

    /// <inheritdoc />
    public async Task<DeliveryReport> SendAsync(IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var sent = 0;
        var jobs = new List<string>();
        foreach (var segment in NetChanges.BySegment(changes))
        {
            var list = Settings.List(segment.Segment)!;
            var leaving = segment.Left.Select(c => c.Recipient.Email).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var ids = await ProfileIdsAsync(leaving, cancellationToken);
            foreach (var chunk in ids.Chunk(MaxProfilesPerRelationshipCall))
            {
                await SendAsync(HttpMethod.Delete, $"api/lists/{list}/relationships/profiles", new { data = chunk.Select(id => new { type = "profile", id }) }, cancellationToken);
            }

            sent += segment.Left.Count;
            var joining = segment.Joined.Where(c => c.Recipient.Email is not null || c.Recipient.Phone is not null)
                .Select(c => JsonSerializer.SerializeToUtf8Bytes(Profile(c.Recipient))).ToList();
            foreach (var chunk in ImportChunks(joining))
            {
                using var job = await SendAsync(HttpMethod.Post, "api/profile-bulk-import-jobs", ImportJob(chunk, list), cancellationToken);
                jobs.Add(job?.RootElement.GetProperty("data").GetProperty("id").GetString() ?? "?");
                sent += chunk.Count;
            }
        }

        foreach (var email in changes.Where(c => c.Erased).Select(c => c.Recipient.Email).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            await SendAsync(HttpMethod.Post, "api/data-privacy-deletion-jobs", new
            {
                data = new
                {
                    type = "data-privacy-deletion-job",
                    attributes = new { profile = new { data = new { type = "profile", attributes = new { email } } } },
                },
            }, cancellationToken);
        }

        return new DeliveryReport(sent, Detail: jobs.Count == 0 ? null : "import jobs " + string.Join(' ', jobs));
    }

    /// <summary>
    /// Serialized profiles cut into import jobs of at most <see cref="MaxProfilesPerImport"/> profiles and
    /// <see cref="MaxImportBytes"/> bytes: full jobs for the usual profile of a few hundred bytes, and more jobs rather
    /// than a refused one when many segments or long addresses make the profiles large.
    /// </summary>
    public static IEnumerable<IReadOnlyList<byte[]>> ImportChunks(IReadOnlyList<byte[]> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var chunk = new List<byte[]>();
        var bytes = 0L;
        foreach (var profile in profiles)
        {
            if (chunk.Count > 0 && (chunk.Count == MaxProfilesPerImport || bytes + profile.Length + 1 > MaxImportBytes - ImportEnvelopeBytes))
            {
                yield return chunk;
                (chunk, bytes) = ([], 0);
            }

            chunk.Add(profile);
            bytes += profile.Length + 1;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>The bulk import job's body, the profiles written as serialized (once, when the chunks were cut).</summary>
    private static byte[] ImportJob(IReadOnlyList<byte[]> profiles, string list)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("data");
            json.WriteString("type", "profile-bulk-import-job");
            json.WriteStartObject("attributes");
            json.WriteStartObject("profiles");
            json.WriteStartArray("data");
            foreach (var profile in profiles)
            {
                json.WriteRawValue(profile, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("relationships");
            json.WriteStartObject("lists");
            json.WriteStartArray("data");
            json.WriteStartObject();
            json.WriteString("type", "list");
            json.WriteString("id", list);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static object Profile(Recipient recipient)
    {
        var properties = new Dictionary<string, object?>
        {
            ["cv_predicted_clv"] = recipient.PredictedClv,
            ["cv_p_alive"] = recipient.PAlive,
            ["cv_expected_next_order_at"] = recipient.ExpectedNextOrderAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["cv_segments"] = recipient.Segments,
        };
        var attributes = new Dictionary<string, object?> { ["properties"] = properties };
        if (recipient.Email is not null)
        {
            attributes["email"] = recipient.Email;
        }

        if (recipient.Phone is not null)
        {
            attributes["phone_number"] = recipient.Phone;
        }

        return new { type = "profile", attributes };
    }

    private async Task<List<string>> ProfileIdsAsync(IReadOnlyList<string> emails, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var chunk in emails.Chunk(MaxEmailsPerLookup))
        {
            var filter = "any(email,[" + string.Join(',', chunk.Select(e => JsonSerializer.Serialize(e))) + "])";
            string? next = $"api/profiles?filter={Uri.EscapeDataString(filter)}&page[size]={MaxEmailsPerLookup}";
            while (next is not null)
            {
                using var page = await SendAsync(HttpMethod.Get, next, null, cancellationToken);
                ids.AddRange(page!.RootElement.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
                next = page.RootElement.TryGetProperty("links", out var links) && links.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String
                    ? n.GetString()
                    : null;
            }
        }

        return ids;
    }

    private async Task<JsonDocument?> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Klaviyo-API-Key", _apiKey);
        request.Headers.Add("revision", _revision);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonApi));
        if (body is not null)
        {
            request.Content = body is byte[] json ? new ByteArrayContent(json) : new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonApi);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await HttpAnswers.EnsureSuccessAsync(response, $"Klaviyo {method} {path.Split('?')[0]}", cancellationToken);
        return text.Length == 0 ? null : JsonDocument.Parse(text);
    }
}
