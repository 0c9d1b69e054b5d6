using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CustomerValue.Functions.Host;

/// <summary>
/// Builds invocation bodies exactly as the Functions host sends them to a custom handler (strings JSON-encoded a
/// second time, the timer as an object, Event Grid events and Cosmos DB documents as a JSON-encoded string holding
/// their JSON). Local mode drives the handler with these, and the tests replay them.
/// </summary>
public static class HostPayloads
{
    /// <summary>A timerTrigger invocation.</summary>
    public static JsonObject Timer(string bindingName, DateTimeOffset? last, DateTimeOffset next, bool isPastDue) => Invocation(
        new JsonObject
        {
            [bindingName] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject
                {
                    ["Last"] = Timestamp(last ?? DateTimeOffset.MinValue),
                    ["Next"] = Timestamp(next),
                    ["LastUpdated"] = Timestamp(last ?? DateTimeOffset.MinValue),
                },
                ["IsPastDue"] = isPastDue,
            },
        },
        new JsonObject());

    /// <summary>
    /// An eventGridTrigger invocation carrying a storage account's <c>Microsoft.Storage.BlobCreated</c> event in the
    /// Event Grid event schema, as a JSON-encoded string (the host serializes the event's JSON text once more). The
    /// event names the blob and its size; it never carries the content.
    /// </summary>
    public static JsonObject BlobCreated(string bindingName, string methodName, string container, string name, Uri url, long length, string etag)
    {
        var evt = new JsonObject
        {
            ["topic"] = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Storage/storageAccounts/local",
            ["subject"] = $"/blobServices/default/containers/{container}/blobs/{name}",
            ["eventType"] = "Microsoft.Storage.BlobCreated",
            ["id"] = Guid.NewGuid().ToString(),
            ["eventTime"] = Timestamp(DateTimeOffset.UtcNow),
            ["data"] = new JsonObject
            {
                ["api"] = "PutBlob",
                ["eTag"] = etag,
                ["contentType"] = "text/csv",
                ["contentLength"] = length,
                ["blobType"] = "BlockBlob",
                ["url"] = url.ToString(),
            },
            ["dataVersion"] = string.Empty,
            ["metadataVersion"] = "1",
        };
        return Invocation(new JsonObject { [bindingName] = Encoded(evt.ToJsonString()) }, new JsonObject { ["sys"] = Sys(methodName) });
    }

    /// <summary>
    /// A cosmosDBTrigger invocation: the changed documents (the JSON text of their array) as a JSON-encoded string,
    /// as the host sends them.
    /// </summary>
    public static JsonObject CosmosDocuments(string bindingName, string methodName, string documentsArrayJson) =>
        Invocation(new JsonObject { [bindingName] = Encoded(documentsArrayJson) }, new JsonObject { ["sys"] = Sys(methodName) });

    /// <summary>A string value as the host encodes it: JSON-serialized once more.</summary>
    public static string Encoded(string value) => JsonSerializer.Serialize(value, HostJson);

    /// <summary>
    /// The invocation's text as the host writes it: Newtonsoft.Json escapes only quotes, backslashes and control
    /// characters (System.Text.Json's default would also turn quotes into six-character <c>\u0022</c>), which matters
    /// when a test measures sizes against <see cref="HandlerLimits"/>.
    /// </summary>
    public static string Serialize(JsonObject invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return invocation.ToJsonString(HostJson);
    }

    private static readonly JsonSerializerOptions HostJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonObject Invocation(JsonObject data, JsonObject metadata) => new() { ["Data"] = data, ["Metadata"] = metadata };

    private static JsonObject Sys(string methodName) => new()
    {
        ["MethodName"] = methodName,
        ["UtcNow"] = Timestamp(DateTimeOffset.UtcNow),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
