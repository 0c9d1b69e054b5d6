using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Publishing.Changes;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.ExportProfile;

/// <summary><c>GET api/profiles/{id}/export</c>: everything held about a person, for a data-subject access request.</summary>
public static class ExportProfileFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "ExportProfile";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/profiles/{id}/export", (string id, ProfileQueries profiles, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
            HandleAsync(id, profiles, store, clock, ct)).WithName(Name);

    /// <summary>Builds the export; 404 when there is no live profile.</summary>
    public static async Task<Results<JsonHttpResult<ProfileExport>, NotFound<ApiError>>> HandleAsync(string id, ProfileQueries profiles, IDocumentStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        var profile = await profiles.FindAsync(id, cancellationToken);
        if (profile is null || profile.Body.IsErased)
        {
            return TypedResults.NotFound(new ApiError($"No profile '{id}'."));
        }

        var published = await store.ReadAsync<PublishedMembership>(ContainerNames.Publications, profile.Id, profile.Id, cancellationToken);
        var orders = await profiles.AllOrdersAsync(profile.Id, cancellationToken);
        var export = new ProfileExport(profile.Body, published?.Body, [.. profile.Body.Merges.Select(m => m.MergedProfileId)], clock.GetUtcNow(), orders);
        return TypedResults.Json(export, DocumentJson.ApiOptions);
    }
}
