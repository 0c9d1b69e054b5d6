using System.Text.Json;

namespace CustomerValue.Functions.Functions.ImportPosExport;

/// <summary>What to do with one event delivered to ImportPosExport.</summary>
public enum BlobEventVerdict
{
    /// <summary>A blob was created in the exports container: import it.</summary>
    Import,

    /// <summary>An event of another type (a deletion, a validation handshake): acknowledge it and do nothing.</summary>
    Ignore,

    /// <summary>The event names something the handler must not read (another container, an unsafe name, no subject).</summary>
    Reject,
}

/// <summary>
/// A storage account's blob event read from either schema Event Grid delivers: the Event Grid event schema
/// (<c>eventType</c>, <c>subject</c>, <c>data</c>) or the CloudEvents 1.0 schema (<c>specversion</c>, <c>type</c>,
/// <c>subject</c>, <c>data</c>). The subject of a blob event is
/// <c>/blobServices/default/containers/{container}/blobs/{name}</c>; the event carries the blob's URL and size, never
/// its content, so an export of any size arrives as a small invocation and is streamed by name.
/// </summary>
/// <param name="Verdict">Import, ignore or reject.</param>
/// <param name="BlobName">The blob's name inside the container (only for <see cref="BlobEventVerdict.Import"/>).</param>
/// <param name="ContentLength">The blob's size as the event reports it, when present.</param>
/// <param name="Message">Why the event is ignored or rejected, or what is imported.</param>
public sealed record BlobCreatedEvent(BlobEventVerdict Verdict, string? BlobName, long? ContentLength, string Message)
{
    /// <summary>The event type of a created (or replaced) blob.</summary>
    public const string BlobCreatedType = "Microsoft.Storage.BlobCreated";

    private const string SubjectPrefix = "/blobServices/default/containers/";
    private const string BlobsSegment = "/blobs/";

    // Azure's own limit for blob names; anything longer is not a name the storage account produced.
    private const int MaxBlobNameLength = 1024;

    /// <summary>Reads <paramref name="evt"/> and decides whether it is an upload to <paramref name="container"/>.</summary>
    public static BlobCreatedEvent Read(JsonElement evt, string container)
    {
        if (evt.ValueKind != JsonValueKind.Object)
        {
            return Rejected($"The event must be a JSON object, not {evt.ValueKind}.");
        }

        var cloudEvent = evt.TryGetProperty("specversion", out _);
        var type = String(evt, cloudEvent ? "type" : "eventType");
        if (!string.Equals(type, BlobCreatedType, StringComparison.Ordinal))
        {
            return new BlobCreatedEvent(BlobEventVerdict.Ignore, null, null, $"Ignored an event of type '{type ?? "(none)"}': only {BlobCreatedType} imports an export.");
        }

        var subject = String(evt, "subject");
        if (string.IsNullOrEmpty(subject) || !subject.StartsWith(SubjectPrefix, StringComparison.Ordinal))
        {
            return Rejected($"The event's subject '{subject}' is not a blob subject ({SubjectPrefix}{{container}}{BlobsSegment}{{name}}).");
        }

        var rest = subject[SubjectPrefix.Length..];
        var blobs = rest.IndexOf(BlobsSegment, StringComparison.Ordinal);
        if (blobs <= 0)
        {
            return Rejected($"The event's subject '{subject}' names no blob ({SubjectPrefix}{{container}}{BlobsSegment}{{name}}).");
        }

        var eventContainer = rest[..blobs];
        if (!string.Equals(eventContainer, container, StringComparison.Ordinal))
        {
            return Rejected($"The event's subject names container '{eventContainer}', not '{container}': the subscription's filter must only let {container} through.");
        }

        var name = rest[(blobs + BlobsSegment.Length)..];
        if (UnsafeName(name) is { } problem)
        {
            return Rejected($"The event's blob name '{name}' is not a blob name inside {container}: {problem}.");
        }

        var data = evt.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        long? length = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("contentLength", out var l) && l.TryGetInt64(out var bytes) ? bytes : null;
        return new BlobCreatedEvent(BlobEventVerdict.Import, name, length, $"{container}/{name} created");
    }

    private static BlobCreatedEvent Rejected(string message) => new(BlobEventVerdict.Reject, null, null, message);

    /// <summary>Why <paramref name="name"/> could escape the exports container or the inbox folder, or null.</summary>
    private static string? UnsafeName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxBlobNameLength)
        {
            return $"it is longer than {MaxBlobNameLength} characters";
        }

        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal))
        {
            return "it starts with '/' or contains '\\'";
        }

        if (name.Split('/').Any(segment => segment is "." or ".." or ""))
        {
            return "it has an empty, '.' or '..' path segment";
        }

        return name.Any(char.IsControl) ? "it contains control characters" : null;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
