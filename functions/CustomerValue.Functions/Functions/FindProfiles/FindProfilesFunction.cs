using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.FindProfiles;

/// <summary>
/// <c>GET api/profiles?email=...</c> (or <c>?phone=</c>, <c>?sourceId=</c>): the profile owning an identity, as a
/// JSON array with zero or one element. The identity is normalized exactly as ingestion normalizes it, so any
/// spelling of the address or number finds the person; the lookup is a point read.
/// </summary>
public static class FindProfilesFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "FindProfiles";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/profiles", (string? email, string? phone, string? sourceId, ProfileQueries profiles, IdentityNormalizer normalizer, CancellationToken ct) =>
            HandleAsync(email, phone, sourceId, profiles, normalizer, ct)).WithName(Name);

    /// <summary>Looks the identity up.</summary>
    public static async Task<Results<JsonHttpResult<IReadOnlyList<CustomerProfile>>, BadRequest<ApiError>>> HandleAsync(
        string? email, string? phone, string? sourceId, ProfileQueries profiles, IdentityNormalizer normalizer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(normalizer);
        IdentityKey key;
        if (email is not null)
        {
            var normalized = IdentityNormalizer.NormalizeEmail(email);
            if (normalized is null)
            {
                return TypedResults.BadRequest(new ApiError("The email parameter is not an e-mail address."));
            }

            key = new IdentityKey(IdentityKind.Email, normalized);
        }
        else if (phone is not null)
        {
            var normalized = normalizer.NormalizePhone(phone);
            if (normalized is null)
            {
                return TypedResults.BadRequest(new ApiError("The phone parameter is not a valid phone number (give it in international form, e.g. +1 415 555 0100)."));
            }

            key = new IdentityKey(IdentityKind.Phone, normalized);
        }
        else if (!string.IsNullOrWhiteSpace(sourceId))
        {
            key = new IdentityKey(IdentityKind.SourceCustomer, sourceId.Trim());
        }
        else
        {
            return TypedResults.BadRequest(new ApiError("Give one of the query parameters email, phone or sourceId."));
        }

        var profile = await profiles.FindByIdentityAsync(key, cancellationToken);
        IReadOnlyList<CustomerProfile> found = profile is null ? [] : [profile.Body];
        return TypedResults.Json(found, DocumentJson.Options);
    }
}
