using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CustomerValue.PlatformFakes;

/// <summary>A Klaviyo profile held by the fake.</summary>
/// <param name="Id">Klaviyo's id.</param>
/// <param name="Email">E-mail.</param>
/// <param name="Properties">Custom properties, as JSON.</param>
public sealed record FakeKlaviyoProfile(string Id, string? Email, string Properties);

/// <summary>
/// Klaviyo's JSON:API as the destination uses it: <c>Authorization: Klaviyo-API-Key …</c>, a <c>revision</c> header
/// (YYYY-MM-DD), <c>application/vnd.api+json</c>; <c>POST /api/profile-bulk-import-jobs</c> (≤ 10,000 profiles and 5 MB, with
/// e-mail or phone, a list relationship), <c>GET /api/profiles?filter=any(email,[…])</c> (≤ 100 values),
/// <c>DELETE /api/lists/{id}/relationships/profiles</c> (≤ 1,000), <c>POST /api/data-privacy-deletion-jobs</c>.
/// Bulk imports are applied at once (Klaviyo runs them as jobs). Errors in JSON:API shape (<c>{"errors":[…]}</c>).
/// </summary>
public sealed partial class KlaviyoFake : FakePlatform
{
    /// <summary>The private API key the fake accepts.</summary>
    public const string ApiKey = "pk_fake_0123456789";

    /// <summary>Bytes a bulk import job's body may hold (Klaviyo: 5 MB).</summary>
    public const int MaxImportBytes = 5_000_000;

    private const string JsonApi = "application/vnd.api+json";
    private int _nextId;

    /// <summary>Profiles by e-mail.</summary>
    public ConcurrentDictionary<string, FakeKlaviyoProfile> Profiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Profile ids per list.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> Lists { get; } = new();

    /// <summary>E-mails whose profiles a data-privacy deletion removed.</summary>
    public ConcurrentBag<string> Deleted { get; } = [];

    /// <summary>The e-mails on a list.</summary>
    public IReadOnlyCollection<string> ListEmails(string listId) => Lists.TryGetValue(listId, out var ids)
        ? [.. Profiles.Values.Where(p => ids.ContainsKey(p.Id)).Select(p => p.Email!)]
        : [];

    /// <summary>Maps the routes under <paramref name="prefix"/>.</summary>
    public void Map(IEndpointRouteBuilder app, string prefix)
    {
        app.MapPost(prefix + "/api/profile-bulk-import-jobs", ImportAsync);
        app.MapGet(prefix + "/api/profiles", ProfilesAsync);
        app.MapDelete(prefix + "/api/lists/{list}/relationships/profiles", RemoveAsync);
        app.MapPost(prefix + "/api/data-privacy-deletion-jobs", DeleteAsync);
    }

    private async Task<JsonDocument?> AuthorizedAsync(HttpContext context, bool hasBody)
    {
        if (await TryFaultAsync(context))
        {
            return null;
        }

        if (context.Request.Headers.Authorization.ToString() != "Klaviyo-API-Key " + ApiKey)
        {
            await RefuseAsync(context, 401, "Missing or invalid private key.");
            return null;
        }

        if (!RevisionPattern().IsMatch(context.Request.Headers["revision"].ToString()))
        {
            await RefuseAsync(context, 400, "A valid revision header (YYYY-MM-DD) is required.");
            return null;
        }

        if (!context.Request.Headers.Accept.ToString().Contains(JsonApi, StringComparison.Ordinal)
            || (hasBody && context.Request.ContentType?.StartsWith(JsonApi, StringComparison.Ordinal) != true))
        {
            await RefuseAsync(context, 415, "Expected application/vnd.api+json.");
            return null;
        }

        return hasBody ? await JsonDocument.ParseAsync(context.Request.Body) : JsonDocument.Parse("{}");
    }

    private async Task ImportAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxImportBytes)
        {
            await RefuseAsync(context, 413, "The payload of a bulk import job is limited to 5 MB.");
            return;
        }

        using var body = await AuthorizedAsync(context, hasBody: true);
        if (body is null)
        {
            return;
        }

        var data = body.RootElement.GetProperty("data");
        if (data.GetProperty("type").GetString() != "profile-bulk-import-job")
        {
            await RefuseAsync(context, 409, "data.type must be profile-bulk-import-job");
            return;
        }

        var profiles = data.GetProperty("attributes").GetProperty("profiles").GetProperty("data");
        if (profiles.GetArrayLength() is 0 or > 10_000)
        {
            await RefuseAsync(context, 400, "A bulk import job takes between 1 and 10000 profiles.");
            return;
        }

        var lists = data.TryGetProperty("relationships", out var r) ? r.GetProperty("lists").GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList() : [];
        var imported = new List<string>();
        foreach (var profile in profiles.EnumerateArray())
        {
            var attributes = profile.GetProperty("attributes");
            var email = attributes.TryGetProperty("email", out var e) ? e.GetString() : null;
            var phone = attributes.TryGetProperty("phone_number", out var p) ? p.GetString() : null;
            if (profile.GetProperty("type").GetString() != "profile" || (email is null && phone is null) || (email is not null && !email.Contains('@', StringComparison.Ordinal)))
            {
                await RefuseAsync(context, 400, "Each profile needs type profile and a valid email or phone_number.");
                return;
            }

            var key = email ?? phone!;
            var properties = attributes.TryGetProperty("properties", out var props) ? props.GetRawText() : "{}";
            var stored = Profiles.AddOrUpdate(key, k => new FakeKlaviyoProfile("01FAKE" + Interlocked.Increment(ref _nextId).ToString("D8", System.Globalization.CultureInfo.InvariantCulture), email, properties),
                (_, old) => old with { Properties = properties });
            imported.Add(stored.Id);
        }

        foreach (var list in lists)
        {
            var members = Lists.GetOrAdd(list, _ => new ConcurrentDictionary<string, byte>());
            foreach (var id in imported)
            {
                members[id] = 0;
            }
        }

        await AcceptAsync(context, 202, imported.Count, new { data = new { type = "profile-bulk-import-job", id = Guid.NewGuid().ToString("N"), attributes = new { status = "queued", total_count = imported.Count } } }, JsonApi);
    }

    private async Task ProfilesAsync(HttpContext context)
    {
        using var body = await AuthorizedAsync(context, hasBody: false);
        if (body is null)
        {
            return;
        }

        var match = FilterPattern().Match(context.Request.Query["filter"].ToString());
        if (!match.Success)
        {
            await RefuseAsync(context, 400, "filter must be any(email,[...]) or equals(email,...)");
            return;
        }

        var emails = JsonSerializer.Deserialize<string[]>("[" + match.Groups["values"].Value + "]")!;
        if (emails.Length > 100)
        {
            await RefuseAsync(context, 400, "any() takes at most 100 values");
            return;
        }

        var found = emails.Where(Profiles.ContainsKey).Select(e => Profiles[e]).Select(p => new { type = "profile", id = p.Id, attributes = new { email = p.Email } }).ToList();
        await AcceptAsync(context, 200, found.Count, new { data = found, links = new { self = context.Request.Path.ToString(), next = (string?)null } }, JsonApi);
    }

    private async Task RemoveAsync(HttpContext context, string list)
    {
        using var body = await AuthorizedAsync(context, hasBody: true);
        if (body is null)
        {
            return;
        }

        var data = body.RootElement.GetProperty("data");
        if (data.GetArrayLength() is 0 or > 1000 || data.EnumerateArray().Any(d => d.GetProperty("type").GetString() != "profile"))
        {
            await RefuseAsync(context, 400, "data must hold 1 to 1000 profile identifiers");
            return;
        }

        if (Lists.TryGetValue(list, out var members))
        {
            foreach (var item in data.EnumerateArray())
            {
                members.TryRemove(item.GetProperty("id").GetString()!, out _);
            }
        }

        await AcceptAsync(context, 204, data.GetArrayLength(), null);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        using var body = await AuthorizedAsync(context, hasBody: true);
        if (body is null)
        {
            return;
        }

        var data = body.RootElement.GetProperty("data");
        var email = data.GetProperty("attributes").GetProperty("profile").GetProperty("data").GetProperty("attributes").GetProperty("email").GetString();
        if (data.GetProperty("type").GetString() != "data-privacy-deletion-job" || email is null)
        {
            await RefuseAsync(context, 400, "data-privacy-deletion-job with a profile email required");
            return;
        }

        if (Profiles.TryRemove(email, out var removed))
        {
            foreach (var list in Lists.Values)
            {
                list.TryRemove(removed.Id, out _);
            }
        }

        Deleted.Add(email);
        await AcceptAsync(context, 202, 1, null);
    }

    /// <inheritdoc />
    protected override string ErrorBody(int status, string message) => JsonSerializer.Serialize(new
    {
        errors = new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(),
                status,
                code = status switch { 401 => "not_authenticated", 429 => "throttled", 400 => "invalid", _ => "error" },
                title = status switch { 401 => "Authentication credentials were not provided.", 429 => "Request was throttled.", 400 => "Invalid input.", _ => "A server error occurred." },
                detail = message,
                source = new { pointer = "/data/" },
            },
        },
    });

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.pre)?$")]
    private static partial Regex RevisionPattern();

    [GeneratedRegex(@"^(any\(email,\[(?<values>.*)\]\)|equals\(email,(?<values>"".*"")\))$")]
    private static partial Regex FilterPattern();
}
