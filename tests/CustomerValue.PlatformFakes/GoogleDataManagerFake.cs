using System.Collections.Concurrent;
using System.Text.Json;

namespace CustomerValue.PlatformFakes;

/// <summary>
/// Google's OAuth token endpoint and the Data Manager API's <c>audienceMembers:ingest</c> / <c>:remove</c>, checked as
/// documented: bearer token from the refresh-token exchange, <c>destinations[].operatingAccount</c> with the account,
/// <c>productDestinationId</c>, 1–10,000 <c>audienceMembers</c> each with <c>userData.userIdentifiers</c> of hex SHA-256
/// <c>emailAddress</c>/<c>phoneNumber</c>, <c>encoding: HEX</c>, and for ingest <c>consent</c> (request or member)
/// with <c>adUserData</c>/<c>adPersonalization</c> and accepted <c>termsOfService</c>. Errors in Google's shape
/// (<c>{"error":{"code","message","status"}}</c>).
/// </summary>
public sealed class GoogleDataManagerFake : FakePlatform
{
    /// <summary>The OAuth client id the fake accepts.</summary>
    public const string ClientId = "fake-client.apps.googleusercontent.com";

    /// <summary>The client secret.</summary>
    public const string ClientSecret = "fake-client-secret";

    /// <summary>The refresh token.</summary>
    public const string RefreshToken = "1//fake-refresh-token";

    /// <summary>The operating account.</summary>
    public const string AccountId = "1234567890";

    private readonly ConcurrentDictionary<string, byte> _tokens = new();
    private int _issued;

    /// <summary>Members (their identifier hashes) per user list id.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Lists { get; } = new();

    /// <summary>Access tokens issued.</summary>
    public int TokensIssued => _issued;

    /// <summary>Revokes every issued token (the next API call gets 401).</summary>
    public void RevokeTokens() => _tokens.Clear();

    /// <summary>The members of a list.</summary>
    public IReadOnlyCollection<string> Members(string listId) => Lists.TryGetValue(listId, out var m) ? [.. m.Keys] : [];

    /// <summary>Maps the routes under <paramref name="prefix"/>.</summary>
    public void Map(IEndpointRouteBuilder app, string prefix)
    {
        app.MapPost(prefix + "/token", TokenAsync);
        app.MapPost(prefix + "/v1/{operation}", AudienceMembersAsync);
    }

    private async Task TokenAsync(HttpContext context)
    {
        if (await TryFaultAsync(context))
        {
            return;
        }

        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["refresh_token"] != RefreshToken)
        {
            Requests.Add(new LoggedRequest("POST", context.Request.Path, 0, 400, "invalid_grant"));
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = "invalid_grant", error_description = "Bad Request" });
            return;
        }

        var token = "ya29.fake-" + Interlocked.Increment(ref _issued);
        _tokens[token] = 0;
        await AcceptAsync(context, 200, 0, new { access_token = token, expires_in = 3599, token_type = "Bearer", scope = "https://www.googleapis.com/auth/datamanager" });
    }

    private async Task AudienceMembersAsync(HttpContext context, string operation)
    {
        if (await TryFaultAsync(context))
        {
            return;
        }

        var ingest = operation == "audienceMembers:ingest";
        if (!ingest && operation != "audienceMembers:remove")
        {
            await RefuseAsync(context, 404, $"Method not found: {operation}");
            return;
        }

        var auth = context.Request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(auth["Bearer ".Length..]))
        {
            await RefuseAsync(context, 401, "Request had invalid authentication credentials. Expected OAuth 2 access token.");
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        if (Check(root, ingest, out var lists, out var members) is { } problem)
        {
            await RefuseAsync(context, 400, problem);
            return;
        }

        foreach (var list in lists)
        {
            var set = Lists.GetOrAdd(list, _ => new ConcurrentDictionary<string, byte>());
            foreach (var hash in members.SelectMany(m => m))
            {
                if (ingest)
                {
                    set[hash] = 0;
                }
                else
                {
                    set.TryRemove(hash, out _);
                }
            }
        }

        await AcceptAsync(context, 200, members.Count, new { requestId = Guid.NewGuid().ToString() });
    }

    private static string? Check(JsonElement root, bool ingest, out List<string> lists, out List<List<string>> members)
    {
        lists = [];
        members = [];
        if (!root.TryGetProperty("destinations", out var destinations) || destinations.GetArrayLength() == 0)
        {
            return "destinations: required";
        }

        foreach (var destination in destinations.EnumerateArray())
        {
            if (!destination.TryGetProperty("operatingAccount", out var account) || account.GetProperty("accountId").GetString() != AccountId
                || account.GetProperty("accountType").GetString() != "GOOGLE_ADS")
            {
                return "destinations.operatingAccount: must be the GOOGLE_ADS account " + AccountId;
            }

            if (destination.TryGetProperty("productDestinationId", out var id) && id.GetString() is { Length: > 0 } list)
            {
                lists.Add(list);
            }
            else
            {
                return "destinations.productDestinationId: required";
            }
        }

        if (!root.TryGetProperty("encoding", out var encoding) || encoding.GetString() != "HEX")
        {
            return "encoding: required for UserData uploads (HEX)";
        }

        if (!root.TryGetProperty("audienceMembers", out var array) || array.GetArrayLength() is 0 or > 10_000)
        {
            return "audienceMembers: between 1 and 10000 members";
        }

        var requestConsent = root.TryGetProperty("consent", out var c) && IsGranted(c);
        if (ingest && (!root.TryGetProperty("termsOfService", out var tos) || tos.GetProperty("customerMatchTermsOfServiceStatus").GetString() != "ACCEPTED"))
        {
            return "termsOfService.customerMatchTermsOfServiceStatus: must be ACCEPTED";
        }

        foreach (var member in array.EnumerateArray())
        {
            if (ingest && !requestConsent && !(member.TryGetProperty("consent", out var mc) && IsGranted(mc)))
            {
                return "audienceMembers.consent: adUserData and adPersonalization required";
            }

            var hashes = new List<string>();
            foreach (var identifier in member.GetProperty("userData").GetProperty("userIdentifiers").EnumerateArray())
            {
                var value = identifier.TryGetProperty("emailAddress", out var e) ? e.GetString()
                    : identifier.TryGetProperty("phoneNumber", out var p) ? p.GetString() : null;
                if (!Hex.IsSha256(value))
                {
                    return "userIdentifiers: expected hex SHA-256 emailAddress or phoneNumber";
                }

                hashes.Add(value!);
            }

            if (hashes.Count == 0)
            {
                return "userData.userIdentifiers: at least one identifier";
            }

            members.Add(hashes);
        }

        return null;
    }

    private static bool IsGranted(JsonElement consent) =>
        consent.TryGetProperty("adUserData", out var d) && d.GetString() is "CONSENT_GRANTED" or "CONSENT_DENIED"
        && consent.TryGetProperty("adPersonalization", out var p) && p.GetString() is "CONSENT_GRANTED" or "CONSENT_DENIED";

    /// <inheritdoc />
    protected override string ErrorBody(int status, string message) => JsonSerializer.Serialize(new
    {
        error = new
        {
            code = status,
            message,
            status = status switch { 400 => "INVALID_ARGUMENT", 401 => "UNAUTHENTICATED", 403 => "PERMISSION_DENIED", 404 => "NOT_FOUND", 429 => "RESOURCE_EXHAUSTED", 503 => "UNAVAILABLE", _ => "INTERNAL" },
        },
    });
}
