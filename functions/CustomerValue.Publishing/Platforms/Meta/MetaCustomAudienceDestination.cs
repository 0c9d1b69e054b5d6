using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Platforms.Meta;

/// <summary>
/// <c>meta-custom-audience</c>: one Custom Audience per segment in ad account <c>act_{AdAccountId}</c>, created when
/// missing (<c>POST act_{id}/customaudiences</c>, <c>subtype=CUSTOM</c>, <c>customer_file_source=USER_PROVIDED_ONLY</c>)
/// unless <c>Lists:&lt;segment&gt;</c> names an existing one; members added with <c>POST /{audience}/users</c> and
/// removed with <c>DELETE /{audience}/users</c>, <c>payload={schema, data}</c> of Meta-normalised SHA-256 identifiers
/// (<see cref="Identifiers.MetaIdentifiers"/>: phones are digits without <c>+</c>, unlike Google's), at most 10,000
/// rows per call, with a <c>session</c> so a multi-call upload is one replace-safe session.
/// <para>
/// The seed segment (<c>ValueSeedSegment</c>, default <c>most-valuable</c>) gets a value-based audience
/// (<c>is_value_based=1</c>) filled with schema <c>["EMAIL","PHONE","LOOKALIKE_VALUE"]</c> carrying each customer's
/// predicted CLV (never negative), and with <c>LookalikeCountry</c> set a lookalike of it
/// (<c>subtype=LOOKALIKE</c>, <c>origin_audience_id</c>, <c>lookalike_spec</c> with <c>LookalikeRatio</c>, default 0.01).
/// Audience ids created here are kept in the destination's partition of the <c>destinations</c> container.
/// </para>
/// </summary>
public sealed class MetaCustomAudienceDestination : IAudienceDestination, IDisposable
{
    /// <summary>Rows per call, Meta's limit.</summary>
    public const int MaxRowsPerCall = 10_000;

    /// <summary>Schema of ordinary audiences.</summary>
    public static readonly IReadOnlyList<string> HashedSchema = ["EMAIL_SHA256", "PHONE_SHA256"];

    /// <summary>Schema of the value-based seed.</summary>
    public static readonly IReadOnlyList<string> ValueSchema = ["EMAIL", "PHONE", "LOOKALIKE_VALUE"];

    private const string AudiencesDocument = "meta-audiences";
    private readonly HttpClient _http;
    private readonly IDocumentStore _store;
    private readonly string _graph;
    private readonly string _accessToken;
    private readonly string _account;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the destination; <c>AdAccountId</c> and <c>AccessToken</c> are required.</summary>
    public MetaCustomAudienceDestination(DestinationSettings settings, HttpClient http, IDocumentStore store)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _http = http;
        _store = store;
        _graph = (settings.Value("BaseUrl") ?? "https://graph.facebook.com").TrimEnd('/') + "/" + (settings.Value("ApiVersion") ?? "v23.0");
        _account = "act_" + settings.Required("AdAccountId").Replace("act_", string.Empty, StringComparison.Ordinal);
        _accessToken = settings.Required("AccessToken");
        ValueSeedSegment = settings.Value("ValueSeedSegment") ?? SegmentNames.MostValuable;
    }

    /// <inheritdoc />
    public DestinationSettings Settings { get; }

    /// <inheritdoc />
    public int MaxBatchSize => MaxRowsPerCall;

    /// <summary>The segment whose audience is the value-based lookalike seed.</summary>
    public string ValueSeedSegment { get; }

    /// <inheritdoc />
    public async Task<DeliveryReport> SendAsync(IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        int sent = 0, received = 0, invalid = 0;
        foreach (var segment in NetChanges.BySegment(changes))
        {
            var valueBased = segment.Segment == ValueSeedSegment;
            var audience = await AudienceAsync(segment.Segment, valueBased, cancellationToken);
            foreach (var (method, members) in new[] { (HttpMethod.Delete, segment.Left), (HttpMethod.Post, segment.Joined) })
            {
                var rows = members.Where(c => !c.Recipient.IsEmpty).ToList();
                var schema = valueBased && method == HttpMethod.Post ? ValueSchema : HashedSchema;
                var batches = rows.Chunk(MaxRowsPerCall).ToList();
                var sessionId = SessionId(audience, rows);
                for (var i = 0; i < batches.Count; i++)
                {
                    var payload = new
                    {
                        schema,
                        data = batches[i].Select(c => Row(c.Recipient, schema == ValueSchema)),
                    };
                    var session = new { session_id = sessionId, batch_seq = i + 1, last_batch_flag = i == batches.Count - 1, estimated_num_total = rows.Count };
                    using var answer = await CallAsync(method, $"{audience}/users", new Dictionary<string, string>
                    {
                        ["payload"] = JsonSerializer.Serialize(payload),
                        ["session"] = JsonSerializer.Serialize(session),
                    }, cancellationToken);
                    received += answer.RootElement.TryGetProperty("num_received", out var r) ? r.GetInt32() : batches[i].Length;
                    invalid += answer.RootElement.TryGetProperty("num_invalid_entries", out var n) ? n.GetInt32() : 0;
                    sent += batches[i].Length;
                }
            }
        }

        return new DeliveryReport(sent, received, invalid);
    }

    private static object[] Row(Recipient recipient, bool withValue)
    {
        var email = recipient.EmailSha256.Count > 0 ? recipient.EmailSha256[0] : string.Empty;
        var phone = recipient.PhoneSha256.Count > 0 ? recipient.PhoneSha256[0] : string.Empty;
        // Value-based audiences take non-negative values; a predicted loss is a value of zero.
        return withValue ? [email, phone, Math.Round(Math.Max(0m, recipient.PredictedClv ?? 0m), 2)] : [email, phone];
    }

    /// <summary>A positive 64-bit session id derived from the audience and the rows, so a retried upload reuses it.</summary>
    private static long SessionId(string audience, IEnumerable<OutboundChange> rows)
    {
        var text = new StringBuilder(audience);
        foreach (var row in rows)
        {
            text.Append('|').Append(row.Change.EventId);
        }

        return (long)(BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0) >> 1);
    }

    /// <summary>The audience of a segment: configured, created earlier, or created now.</summary>
    private async Task<string> AudienceAsync(string segment, bool valueBased, CancellationToken cancellationToken)
    {
        if (Settings.List(segment) is { } configured)
        {
            return configured;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var known = (await _store.ReadAsync<MetaAudiences>(ContainerNames.Destinations, AudiencesDocument, Settings.Name, cancellationToken))?.Body
                ?? new MetaAudiences { Audiences = new Dictionary<string, string>(StringComparer.Ordinal) };
            if (known.Audiences.TryGetValue(segment, out var id))
            {
                return id;
            }

            var form = new Dictionary<string, string>
            {
                ["name"] = $"CustomerValue {segment}",
                ["subtype"] = "CUSTOM",
                ["customer_file_source"] = "USER_PROVIDED_ONLY",
                ["description"] = $"Segment {segment}, kept in step by CustomerValue.Functions",
            };
            if (valueBased)
            {
                form["is_value_based"] = "1";
            }

            using var created = await CallAsync(HttpMethod.Post, $"{_account}/customaudiences", form, cancellationToken);
            id = created.RootElement.GetProperty("id").GetString()!;
            var audiences = new Dictionary<string, string>(known.Audiences, StringComparer.Ordinal) { [segment] = id };
            string? lookalike = known.Lookalike;
            if (valueBased && lookalike is null && Settings.Value("LookalikeCountry") is { } country)
            {
                using var look = await CallAsync(HttpMethod.Post, $"{_account}/customaudiences", new Dictionary<string, string>
                {
                    ["name"] = $"CustomerValue {segment} lookalike",
                    ["subtype"] = "LOOKALIKE",
                    ["origin_audience_id"] = id,
                    ["lookalike_spec"] = JsonSerializer.Serialize(new { type = "custom_ratio", ratio = Settings.Number("LookalikeRatio", 0.01), country }),
                }, cancellationToken);
                lookalike = look.RootElement.GetProperty("id").GetString();
            }

            await _store.UpsertAsync(ContainerNames.Destinations, AudiencesDocument, Settings.Name, new MetaAudiences { Audiences = audiences, Lookalike = lookalike }, cancellationToken);
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One Graph API call, form-encoded with the access token. Meta answers throttling with 400 and error codes
    /// 4, 17, 32, 613 or 80003 rather than 429; those fail this attempt like any error and the pipeline retries later.
    /// </summary>
    private async Task<JsonDocument> CallAsync(HttpMethod method, string path, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["access_token"] = _accessToken;
        using var request = new HttpRequestMessage(method, $"{_graph}/{path}") { Content = new FormUrlEncodedContent(form) };
        using var response = await _http.SendAsync(request, cancellationToken);
        var what = string.Create(CultureInfo.InvariantCulture, $"Meta Graph API {method} {path.Split('/')[^1]}");
        return JsonDocument.Parse(await HttpAnswers.EnsureSuccessAsync(response, what, cancellationToken));
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>The audiences this destination created.</summary>
    public sealed record MetaAudiences
    {
        /// <summary>Audience id by segment.</summary>
        public required IReadOnlyDictionary<string, string> Audiences { get; init; }

        /// <summary>The lookalike of the value-based seed, when created.</summary>
        public string? Lookalike { get; init; }
    }
}
