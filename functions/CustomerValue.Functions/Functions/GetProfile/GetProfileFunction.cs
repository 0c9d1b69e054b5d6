using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.GetProfile;

/// <summary><c>GET api/profiles/{id}</c>: one profile; an id merged into another resolves to the survivor.</summary>
public static class GetProfileFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "GetProfile";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/profiles/{id}", (string id, ProfileQueries profiles, CancellationToken ct) => HandleAsync(id, profiles, ct)).WithName(Name);

    /// <summary>Finds the profile.</summary>
    public static async Task<Results<JsonHttpResult<CustomerProfile>, NotFound<ApiError>, BadRequest<ApiError>>> HandleAsync(string id, ProfileQueries profiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        if (string.IsNullOrWhiteSpace(id) || id.Length > 255)
        {
            return TypedResults.BadRequest(new ApiError("The profile id must be 1 to 255 characters."));
        }

        var profile = await profiles.FindAsync(id, cancellationToken);
        return profile is null || profile.Body.IsErased
            ? TypedResults.NotFound(new ApiError($"No profile '{id}'."))
            : TypedResults.Json(profile.Body, DocumentJson.Options);
    }
}
