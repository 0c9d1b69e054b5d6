using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Segments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.DeleteCustomSegment;

/// <summary>
/// <c>DELETE api/segments/{name}</c>: removes a custom segment saved through the API (204). Its members leave it at the
/// next recompute, which publishes the <c>left</c> events. Built-in segments and those of the definitions file are
/// refused with 409; an unknown name is 404.
/// </summary>
public static class DeleteCustomSegmentFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "DeleteCustomSegment";

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete("/api/segments/{name}", (string name, CustomSegmentCatalog catalog, CancellationToken ct) => HandleAsync(name, catalog, ct)).WithName(Name);

    /// <summary>Deletes the definition.</summary>
    public static async Task<Results<NoContent, NotFound<ApiError>, Conflict<ApiError>>> HandleAsync(string name, CustomSegmentCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (SegmentRegistry.IsBuiltIn(name))
        {
            return TypedResults.Conflict(new ApiError($"'{name}' is a built-in segment and cannot be deleted."));
        }

        if ((await catalog.LoadAsync(cancellationToken)).FromFile.Contains(name))
        {
            return TypedResults.Conflict(new ApiError($"'{name}' is defined in the definitions file (Segments:DefinitionsPath); remove it there."));
        }

        return await catalog.Saved.DeleteAsync(name, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(new ApiError($"No custom segment '{name}'."));
    }
}
