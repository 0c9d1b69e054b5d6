using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CustomerValue.Functions.Host;

/// <summary>
/// Builds invocation bodies exactly as the Functions host sends them to a custom handler (see DESIGN.md:
/// strings JSON-encoded a second time, the timer as an object, Cosmos DB documents as a JSON-encoded string holding
/// an array). Local mode drives the handler with these, and the tests replay them.
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
    /// A blobTrigger invocation. The host would inline the content (base64 for binary); the handler never uses it,
    /// so local mode sends an empty string instead of reading a possibly huge file into a request.
    /// </summary>
    public static JsonObject Blob(string bindingName, string name, Uri uri, long length, string etag, string inlineContent = "") => Invocation(
        new JsonObject { [bindingName] = inlineContent },
        new JsonObject
        {
            ["name"] = Encoded(name),
            ["Uri"] = Encoded(uri.ToString()),
            ["Properties"] = new JsonObject
            {
                ["Length"] = length,
                ["ETag"] = etag,
                ["ContentType"] = "text/csv",
            },
            ["Metadata"] = new JsonObject(),
            ["sys"] = Sys("ImportPosExport"),
        });

    /// <summary>
    /// A cosmosDBTrigger invocation: the changed documents (the JSON text of their array) as a JSON-encoded string,
    /// as the host sends them.
    /// </summary>
    public static JsonObject CosmosDocuments(string bindingName, string methodName, string documentsArrayJson) =>
        Invocation(new JsonObject { [bindingName] = Encoded(documentsArrayJson) }, new JsonObject { ["sys"] = Sys(methodName) });

    /// <summary>A string value as the host encodes it: JSON-serialized once more.</summary>
    public static string Encoded(string value) => JsonSerializer.Serialize(value);

    private static JsonObject Invocation(JsonObject data, JsonObject metadata) => new() { ["Data"] = data, ["Metadata"] = metadata };

    private static JsonObject Sys(string methodName) => new()
    {
        ["MethodName"] = methodName,
        ["UtcNow"] = Timestamp(DateTimeOffset.UtcNow),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
