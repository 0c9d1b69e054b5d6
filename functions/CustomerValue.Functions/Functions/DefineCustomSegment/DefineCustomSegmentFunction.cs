using System.Globalization;
using System.Text.Json;
using CustomerValue.Functions.Host;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Functions.DefineCustomSegment;

/// <summary>
/// <c>PUT api/segments/{name}</c>: creates (201) or replaces (200) a goal-driven custom segment. A definition with any
/// problem is refused with 400 listing them all, a bad rule with the line and column it fails at; built-in names and
/// names from the definitions file are refused with 409. Nothing is stored unless the whole definition is valid. The
/// segment gains members and KPIs at the next recompute, and between recomputes on the real-time path.
/// </summary>
public static class DefineCustomSegmentFunction
{
    /// <summary>The function name.</summary>
    public const string Name = "DefineCustomSegment";

    /// <summary>The largest body accepted: a definition is a few hundred bytes, a rule at most 2,000 characters.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Maps the route.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/api/segments/{name}", (string name, HttpRequest request, CustomSegmentCatalog catalog, CancellationToken ct) =>
            HandleAsync(name, request.Body, request.ContentLength, catalog, ct)).WithName(Name);

    /// <summary>Validates and saves the definition.</summary>
    public static async Task<Results<JsonHttpResult<CustomSegmentDefinition>, BadRequest<SegmentRefusal>, Conflict<ApiError>, StatusCodeHttpResult>> HandleAsync(
        string name, Stream body, long? contentLength, CustomSegmentCatalog catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (SegmentRegistry.IsBuiltIn(name))
        {
            return TypedResults.Conflict(new ApiError($"'{name}' is a built-in segment and cannot be redefined; choose another name."));
        }

        if ((await catalog.LoadAsync(cancellationToken)).FromFile.Contains(name))
        {
            return TypedResults.Conflict(new ApiError($"'{name}' is defined in the definitions file (Segments:DefinitionsPath); change it there."));
        }

        var bytes = await RequestBody.ReadLimitedAsync(body, MaxBodyBytes, cancellationToken, contentLength);
        if (bytes is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        CustomSegmentBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<CustomSegmentBody>(bytes, DocumentJson.Options);
        }
        catch (JsonException ex)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}");
            return TypedResults.BadRequest(new SegmentRefusal("The body is not a segment definition.",
                [$"{where}{(string.IsNullOrEmpty(ex.Path) ? "" : $" ({ex.Path})")}: {ex.Message.Split(". ", 2)[0]}"]));
        }

        if (parsed is null)
        {
            return TypedResults.BadRequest(new SegmentRefusal("The body must be a JSON object with goal, rule, kpis, destinations and holdoutShare.", []));
        }

        if (parsed.Name is { } named && named != name)
        {
            return TypedResults.BadRequest(new SegmentRefusal($"The body names '{named}' but the route names '{name}'.", ["name: must equal the name in the route"]));
        }

        var definition = parsed.ToDefinition(name);
        var problems = CustomSegmentValidation.Problems(definition, out _, out var ruleError);
        if (problems.Count > 0)
        {
            return TypedResults.BadRequest(new SegmentRefusal("The segment definition was refused; nothing was stored.", problems,
                ruleError is null ? null : new RulePosition(ruleError.Line, ruleError.Column, ruleError.Problem)));
        }

        var created = await catalog.Saved.SaveAsync(definition, cancellationToken);
        return TypedResults.Json(definition, DocumentJson.Options, statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }
}
