using System.Buffers.Text;
using System.Text;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.ListProfileOrders;

/// <summary>
/// <c>GET api/profiles/{id}/orders?limit=&amp;continuation=</c>: a profile's orders, a page at a time (the profile itself
/// carries only what they add up to). Pages come in the store's order, the same on every page; the continuation is
/// opaque (base64url of the store's own token).
/// </summary>
public static class ListProfileOrdersFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "ListProfileOrders";

    /// <summary>Orders per page unless <c>limit</c> says otherwise.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/profiles/{id}/orders", (string id, int? limit, string? continuation, ProfileQueries profiles, CancellationToken ct) =>
            HandleAsync(id, limit, continuation, profiles, ct)).WithName(Name);

    /// <summary>Reads one page; 404 when there is no live profile, 400 for a bad limit or continuation.</summary>
    public static async Task<Results<JsonHttpResult<ProfileOrdersPage>, NotFound<ApiError>, BadRequest<ApiError>>> HandleAsync(
        string id, int? limit, string? continuation, ProfileQueries profiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        if (string.IsNullOrWhiteSpace(id) || id.Length > 255)
        {
            return TypedResults.BadRequest(new ApiError("The profile id must be 1 to 255 characters."));
        }

        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.BadRequest(new ApiError($"limit must be 1 to {MaxLimit}."));
        }

        string? token = null;
        if (!string.IsNullOrEmpty(continuation) && !TryDecode(continuation, out token))
        {
            return TypedResults.BadRequest(new ApiError("continuation is not one this API issued."));
        }

        var profile = await profiles.FindAsync(id, cancellationToken);
        if (profile is null || profile.Body.IsErased)
        {
            return TypedResults.NotFound(new ApiError($"No profile '{id}'."));
        }

        DocumentPage<CustomerValue.Domain.Profiles.OrderRecord> page;
        try
        {
            page = await profiles.OrdersAsync(profile.Id, token, limit ?? DefaultLimit, cancellationToken);
        }
        catch (ArgumentException)
        {
            return TypedResults.BadRequest(new ApiError("continuation is not one this API issued."));
        }

        var next = page.Continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(page.Continuation));
        return TypedResults.Json(new ProfileOrdersPage(profile.Id, [.. page.Documents.Select(d => d.Body)], next), DocumentJson.ApiOptions);
    }

    private static bool TryDecode(string continuation, out string? token)
    {
        token = null;
        if (continuation.Length > 8192 || !Base64Url.IsValid(continuation))
        {
            return false;
        }

        token = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuation));
        return token.Length > 0;
    }
}
