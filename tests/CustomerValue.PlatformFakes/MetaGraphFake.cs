using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CustomerValue.PlatformFakes;

/// <summary>A Custom Audience held by the fake.</summary>
public sealed class FakeAudience
{
    /// <summary>Audience id.</summary>
    public required string Id { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary><c>CUSTOM</c> or <c>LOOKALIKE</c>.</summary>
    public required string Subtype { get; init; }

    /// <summary><c>is_value_based=1</c>.</summary>
    public bool ValueBased { get; init; }

    /// <summary>For a lookalike: its seed.</summary>
    public string? OriginAudienceId { get; init; }

    /// <summary>For a lookalike: its spec.</summary>
    public string? LookalikeSpec { get; init; }

    /// <summary>Rows by their first non-empty identifier hash, with the value of a value-based audience.</summary>
    public ConcurrentDictionary<string, decimal?> Members { get; } = new();
}

/// <summary>
/// The Graph API's <c>act_{id}/customaudiences</c> (create) and <c>/{audience}/users</c> (POST adds, DELETE removes),
/// checked as documented: version path, <c>access_token</c>, <c>subtype</c> and <c>customer_file_source</c>,
/// <c>payload={schema,data}</c> with at most 10,000 rows of hex SHA-256 identifiers (and non-negative
/// <c>LOOKALIKE_VALUE</c> only for value-based audiences), <c>session</c> with <c>session_id</c>, <c>batch_seq</c>,
/// <c>last_batch_flag</c>. Errors in Meta's shape (<c>{"error":{"message","type","code","fbtrace_id"}}</c>).
/// </summary>
public sealed partial class MetaGraphFake : FakePlatform
{
    /// <summary>The access token the fake accepts.</summary>
    public const string AccessToken = "EAAB-fake-system-user-token";

    /// <summary>The ad account (without act_).</summary>
    public const string AdAccountId = "1122334455";

    private int _nextId = 23850000;

    /// <summary>Audiences by id.</summary>
    public ConcurrentDictionary<string, FakeAudience> Audiences { get; } = new();

    /// <summary>The audience named after a segment (as the destination names them), or null.</summary>
    public FakeAudience? BySegment(string segment) => Audiences.Values.FirstOrDefault(a => a.Name == "CustomerValue " + segment);

    /// <summary>Maps the routes under <paramref name="prefix"/>.</summary>
    public void Map(IEndpointRouteBuilder app, string prefix)
    {
        app.MapPost(prefix + "/{version}/{node}/customaudiences", CreateAsync);
        app.MapPost(prefix + "/{version}/{audience}/users", (HttpContext c, string version, string audience) => UsersAsync(c, version, audience, add: true));
        app.MapDelete(prefix + "/{version}/{audience}/users", (HttpContext c, string version, string audience) => UsersAsync(c, version, audience, add: false));
    }

    private async Task<IFormCollection?> AuthorizedFormAsync(HttpContext context, string version)
    {
        if (await TryFaultAsync(context))
        {
            return null;
        }

        if (!VersionPattern().IsMatch(version))
        {
            await RefuseAsync(context, 400, $"Unknown path components: /{version}");
            return null;
        }

        if (!context.Request.HasFormContentType)
        {
            await RefuseAsync(context, 400, "Expected form-encoded parameters.");
            return null;
        }

        var form = await context.Request.ReadFormAsync();
        if (form["access_token"] != AccessToken)
        {
            await RefuseAsync(context, 401, "Invalid OAuth access token - Cannot parse access token");
            return null;
        }

        return form;
    }

    private async Task CreateAsync(HttpContext context, string version, string node)
    {
        if (await AuthorizedFormAsync(context, version) is not { } form)
        {
            return;
        }

        if (node != "act_" + AdAccountId)
        {
            await RefuseAsync(context, 400, $"Unsupported post request. Object with ID '{node}' does not exist");
            return;
        }

        var subtype = form["subtype"].ToString();
        var name = form["name"].ToString();
        if (name.Length == 0 || subtype is not ("CUSTOM" or "LOOKALIKE"))
        {
            await RefuseAsync(context, 400, "(#100) name and subtype (CUSTOM or LOOKALIKE) are required");
            return;
        }

        if (subtype == "CUSTOM" && form["customer_file_source"].ToString() is not ("USER_PROVIDED_ONLY" or "PARTNER_PROVIDED_ONLY" or "BOTH_USER_AND_PARTNER_PROVIDED"))
        {
            await RefuseAsync(context, 400, "(#100) customer_file_source is required for customer file audiences");
            return;
        }

        if (subtype == "LOOKALIKE")
        {
            var origin = form["origin_audience_id"].ToString();
            if (!Audiences.TryGetValue(origin, out var seed) || !TryLookalikeSpec(form["lookalike_spec"].ToString()))
            {
                await RefuseAsync(context, 400, "(#2654) origin_audience_id must be an existing audience and lookalike_spec needs country and ratio");
                return;
            }

            _ = seed;
        }

        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture) + "0000";
        Audiences[id] = new FakeAudience
        {
            Id = id, Name = name, Subtype = subtype, ValueBased = form["is_value_based"] == "1",
            OriginAudienceId = form["origin_audience_id"].ToString() is { Length: > 0 } o ? o : null,
            LookalikeSpec = form["lookalike_spec"].ToString() is { Length: > 0 } s ? s : null,
        };
        await AcceptAsync(context, 200, 0, new { id });
    }

    private async Task UsersAsync(HttpContext context, string version, string audienceId, bool add)
    {
        if (await AuthorizedFormAsync(context, version) is not { } form)
        {
            return;
        }

        if (!Audiences.TryGetValue(audienceId, out var audience) || audience.Subtype != "CUSTOM")
        {
            await RefuseAsync(context, 400, $"(#100) Object with ID '{audienceId}' does not exist or is not a customer file audience");
            return;
        }

        if (CheckSession(form["session"].ToString()) is { } sessionProblem)
        {
            await RefuseAsync(context, 400, sessionProblem);
            return;
        }

        using var payload = JsonDocument.Parse(form["payload"].ToString() is { Length: > 0 } p ? p : "{}");
        var rows = new List<(string Key, decimal? Value)>();
        if (CheckPayload(payload.RootElement, audience.ValueBased && add, rows) is { } problem)
        {
            await RefuseAsync(context, 400, problem);
            return;
        }

        foreach (var (key, value) in rows)
        {
            if (add)
            {
                audience.Members[key] = value;
            }
            else
            {
                audience.Members.TryRemove(key, out _);
            }
        }

        using var session = JsonDocument.Parse(form["session"].ToString());
        await AcceptAsync(context, 200, rows.Count, new
        {
            audience_id = audienceId,
            session_id = session.RootElement.GetProperty("session_id").GetInt64().ToString(CultureInfo.InvariantCulture),
            num_received = rows.Count,
            num_invalid_entries = 0,
            invalid_entry_samples = new { },
        });
    }

    private static string? CheckSession(string text)
    {
        try
        {
            using var session = JsonDocument.Parse(text);
            var s = session.RootElement;
            return s.GetProperty("session_id").GetInt64() > 0 && s.GetProperty("batch_seq").GetInt32() >= 1
                && s.GetProperty("last_batch_flag").ValueKind is JsonValueKind.True or JsonValueKind.False
                ? null
                : "(#100) session needs session_id, batch_seq >= 1 and last_batch_flag";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return "(#100) session needs session_id, batch_seq and last_batch_flag";
        }
    }

    private static string? CheckPayload(JsonElement payload, bool valueBased, List<(string, decimal?)> rows)
    {
        if (!payload.TryGetProperty("schema", out var schemaElement) || !payload.TryGetProperty("data", out var data))
        {
            return "(#100) payload needs schema and data";
        }

        var schema = schemaElement.EnumerateArray().Select(e => e.GetString()!).ToList();
        var allowed = valueBased ? new[] { "EMAIL", "PHONE", "LOOKALIKE_VALUE" } : ["EMAIL_SHA256", "PHONE_SHA256", "EMAIL", "PHONE"];
        if (schema.Count == 0 || schema.Any(f => !allowed.Contains(f)) || valueBased != schema.Contains("LOOKALIKE_VALUE"))
        {
            return $"(#100) schema {string.Join(',', schema)} is not valid for this audience";
        }

        if (data.GetArrayLength() is 0 or > 10_000)
        {
            return "(#100) data must hold between 1 and 10000 rows";
        }

        foreach (var row in data.EnumerateArray())
        {
            var cells = row.EnumerateArray().ToList();
            if (cells.Count != schema.Count)
            {
                return "(#100) every row must have one value per schema field";
            }

            string? key = null;
            decimal? value = null;
            for (var i = 0; i < cells.Count; i++)
            {
                if (schema[i] == "LOOKALIKE_VALUE")
                {
                    if (cells[i].ValueKind != JsonValueKind.Number || cells[i].GetDecimal() < 0)
                    {
                        return "(#100) LOOKALIKE_VALUE must be a non-negative number";
                    }

                    value = cells[i].GetDecimal();
                    continue;
                }

                var cell = cells[i].GetString() ?? string.Empty;
                if (cell.Length > 0 && !Hex.IsSha256(cell))
                {
                    return "(#100) identifiers must be SHA-256 hashes of normalised values";
                }

                key ??= cell.Length > 0 ? cell : null;
            }

            if (key is null)
            {
                return "(#100) a row needs at least one identifier";
            }

            rows.Add((key, value));
        }

        return null;
    }

    private static bool TryLookalikeSpec(string text)
    {
        try
        {
            using var spec = JsonDocument.Parse(text);
            return spec.RootElement.TryGetProperty("country", out _) && spec.RootElement.TryGetProperty("ratio", out var r) && r.GetDouble() is > 0 and <= 0.2;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    protected override string ErrorBody(int status, string message) => JsonSerializer.Serialize(new
    {
        error = new
        {
            message,
            type = status == 401 ? "OAuthException" : "GraphMethodException",
            code = status switch { 401 => 190, 429 => 80003, 400 => 100, _ => 2 },
            fbtrace_id = "AbCdEfGh123",
        },
    });

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex VersionPattern();
}
