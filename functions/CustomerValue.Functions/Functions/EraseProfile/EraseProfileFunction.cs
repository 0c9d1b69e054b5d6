using CustomerValue.Identity.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.EraseProfile;

/// <summary>
/// <c>DELETE api/profiles/{id}</c>: erases a person everywhere we hold them (see <see cref="ProfileEraser"/>); their
/// segment memberships are withdrawn from every destination through the change feed.
/// </summary>
public static class EraseProfileFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "EraseProfile";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete("/api/profiles/{id}", (string id, ProfileEraser eraser, CancellationToken ct) => HandleAsync(id, eraser, ct)).WithName(Name);

    /// <summary>Erases the profile; 404 when there is no live profile with that id.</summary>
    public static async Task<Results<NoContent, NotFound<ApiError>>> HandleAsync(string id, ProfileEraser eraser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eraser);
        return await eraser.EraseProfileAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(new ApiError($"No profile '{id}' to erase."));
    }
}
