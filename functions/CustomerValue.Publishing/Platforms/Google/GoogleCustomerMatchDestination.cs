using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CustomerValue.Publishing.Delivery;
using CustomerValue.Publishing.Destinations;

namespace CustomerValue.Publishing.Platforms.Google;

/// <summary>
/// <c>google-customer-match</c>: Customer Match through the Data Manager API, the only way new integrations may
/// upload since April 2026. Joins go to <c>POST {BaseUrl}/v1/audienceMembers:ingest</c> and leaves to
/// <c>…:remove</c>, at most 10,000 members per request, one user list per segment (<c>Lists:&lt;segment&gt;</c>) in
/// the Google Ads operating account <c>AccountId</c>. Members are identified only by SHA-256 hex of Google-normalised
/// e-mails and phones (<see cref="Identifiers.GoogleIdentifiers"/>), with <c>encoding: HEX</c>. Consent: only people
/// who gave ads consent are queued for this destination, so every member is sent with <c>adUserData</c> and
/// <c>adPersonalization</c> granted; <c>termsOfService.customerMatchTermsOfServiceStatus</c> is <c>ACCEPTED</c>
/// (the shop accepts Customer Match terms in Google Ads before configuring the destination).
/// </summary>
public sealed class GoogleCustomerMatchDestination : IAudienceDestination, IDisposable
{
    /// <summary>Members per request, the API's limit.</summary>
    public const int MaxMembersPerRequest = 10_000;

    private static readonly object Granted = new { adUserData = "CONSENT_GRANTED", adPersonalization = "CONSENT_GRANTED" };
    private readonly HttpClient _http;
    private readonly GoogleAccessTokens _tokens;
    private readonly Uri _baseUrl;
    private readonly string _accountId;

    /// <summary>Creates the destination; every segment it receives needs a list id.</summary>
    public GoogleCustomerMatchDestination(DestinationSettings settings, HttpClient http, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _http = http;
        _baseUrl = new Uri((settings.Value("BaseUrl") ?? "https://datamanager.googleapis.com").TrimEnd('/') + "/");
        _accountId = settings.Required("AccountId");
        _tokens = new GoogleAccessTokens(http, new Uri(settings.Value("TokenUrl") ?? "https://oauth2.googleapis.com/token"),
            settings.Required("ClientId"), settings.Required("ClientSecret"), settings.Required("RefreshToken"), clock);
        foreach (var segment in settings.Segments)
        {
            _ = settings.List(segment) ?? throw new InvalidOperationException($"Destinations:{settings.Name}:Lists:{segment} (the user list id for {segment}) is not set.");
        }
    }

    /// <inheritdoc />
    public DestinationSettings Settings { get; }

    /// <inheritdoc />
    public int MaxBatchSize => MaxMembersPerRequest;

    /// <inheritdoc />
    public async Task<DeliveryReport> SendAsync(IReadOnlyList<OutboundChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var requests = new List<string>();
        var sent = 0;
        foreach (var segment in NetChanges.BySegment(changes))
        {
            var destinations = new[] { new { operatingAccount = new { accountType = "GOOGLE_ADS", accountId = _accountId }, productDestinationId = Settings.List(segment.Segment) } };
            foreach (var chunk in segment.Left.Where(c => !c.Recipient.IsEmpty).Chunk(MaxMembersPerRequest))
            {
                requests.Add(await PostAsync("v1/audienceMembers:remove", new
                {
                    destinations,
                    audienceMembers = chunk.Select(c => new { userData = UserData(c.Recipient) }),
                    encoding = "HEX",
                }, cancellationToken));
                sent += chunk.Length;
            }

            foreach (var chunk in segment.Joined.Where(c => !c.Recipient.IsEmpty).Chunk(MaxMembersPerRequest))
            {
                requests.Add(await PostAsync("v1/audienceMembers:ingest", new
                {
                    destinations,
                    audienceMembers = chunk.Select(c => new { userData = UserData(c.Recipient), consent = Granted }),
                    consent = Granted,
                    encoding = "HEX",
                    termsOfService = new { customerMatchTermsOfServiceStatus = "ACCEPTED" },
                }, cancellationToken));
                sent += chunk.Length;
            }
        }

        return new DeliveryReport(sent, Detail: requests.Count == 0 ? null : "requestIds " + string.Join(' ', requests));
    }

    /// <inheritdoc />
    public void Dispose() => _tokens.Dispose();

    private static object UserData(Recipient recipient) => new
    {
        userIdentifiers = recipient.EmailSha256.Select(h => (object)new { emailAddress = h })
            .Concat(recipient.PhoneSha256.Select(h => (object)new { phoneNumber = h })),
    };

    /// <summary>Posts with a bearer token; a 401 refreshes the token once (it may have been revoked early).</summary>
    private async Task<string> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, path)) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetAsync(cancellationToken));
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 1)
            {
                _tokens.Invalidate();
                continue;
            }

            var text = await HttpAnswers.EnsureSuccessAsync(response, "Google Data Manager " + path, cancellationToken);
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            return json.RootElement.TryGetProperty("requestId", out var id) ? id.GetString() ?? "?" : "?";
        }
    }
}
