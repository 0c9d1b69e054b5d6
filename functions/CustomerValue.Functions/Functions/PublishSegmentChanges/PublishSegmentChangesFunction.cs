using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Functions.Host;
using CustomerValue.Publishing.Changes;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Functions.Functions.PublishSegmentChanges;

/// <summary>
/// Cosmos DB change-feed trigger on the profiles container: turns changed profiles into joined/left segment events.
/// The host sends <c>Data.profiles</c> as a JSON-encoded string holding the array of changed documents; an array,
/// a string holding one, and a string holding such a string are all accepted.
/// </summary>
public static class PublishSegmentChangesFunction
{
    /// <summary>The function (and folder, and route) name.</summary>
    public const string Name = "PublishSegmentChanges";

    /// <summary>The trigger binding's name in function.json.</summary>
    public const string DocumentsBinding = "profiles";

    /// <summary>Maps <c>POST /PublishSegmentChanges</c>.</summary>
    public static void Map(IEndpointRouteBuilder app) => app.MapInvocation(Name, (invocation, services, ct) =>
        HandleAsync(invocation, services.GetRequiredService<SegmentChangePublisher>(), services.GetRequiredService<ILoggerFactory>().CreateLogger(Name), ct));

    /// <summary>Decodes the batch and publishes it.</summary>
    public static async Task<InvocationOutcome> HandleAsync(FunctionInvocation invocation, SegmentChangePublisher publisher, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(publisher);
        if (invocation.Binding(DocumentsBinding) is not { } raw)
        {
            return InvocationOutcome.BadRequest($"Data.{DocumentsBinding} is missing: expected the changed documents.");
        }

        var documents = BindingValue.AsJson(raw, out var error);
        if (documents is not { ValueKind: JsonValueKind.Array } array)
        {
            return InvocationOutcome.BadRequest(error ?? $"Data.{DocumentsBinding} must hold a JSON array of documents, not {documents?.ValueKind}.");
        }

        var profiles = new List<CustomerProfile>();
        var skipped = new List<string>();
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            // One unreadable document must not block the partition forever (the trigger retries without limit):
            // it is logged and skipped, and the rest of the batch is published.
            if (TryReadProfile(element, out var profile, out var reason))
            {
                profiles.Add(profile);
            }
            else
            {
                skipped.Add($"document {index}: {reason}");
                logger.LogWarning("Skipped change-feed document {Index}: {Reason}", index, reason);
            }

            index++;
        }

        var result = await publisher.PublishAsync(profiles, cancellationToken);
        return InvocationOutcome.Ok(new { result.Profiles, result.Events, result.Unchanged, Skipped = skipped },
            [$"Published {result.Events} segment changes from {result.Profiles} profiles ({result.Unchanged} unchanged, {skipped.Count} skipped).", .. skipped]);
    }

    private static bool TryReadProfile(JsonElement element, out CustomerProfile profile, out string reason)
    {
        profile = null!;
        if (element.ValueKind != JsonValueKind.Object)
        {
            reason = $"expected a JSON object, found {element.ValueKind}";
            return false;
        }

        try
        {
            profile = element.Deserialize<CustomerProfile>(DocumentJson.Options)!;
            reason = string.Empty;
            return profile is not null;
        }
        catch (JsonException ex)
        {
            reason = $"not a profile document: {ex.Message}";
            return false;
        }
    }
}
