using System.Net;
using System.Text.Json;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.Tests.Support;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>ImportPosExport's reading of storage blob events: which uploads it imports, which events it ignores or rejects.</summary>
public sealed class BlobCreatedEventTests
{
    private const string Container = "pos-exports";

    [Theory]
    [InlineData("store-nyc.csv")]
    [InlineData("square/2026 11 store.csv")]
    [InlineData("shopify-pos/orders_export_1.csv")]
    public void Read_BlobCreatedInTheExportsContainer_ImportsTheNameAfterBlobs(string name)
    {
        var result = BlobCreatedEvent.Read(EventGridEvent("Microsoft.Storage.BlobCreated", $"/blobServices/default/containers/pos-exports/blobs/{name}", 12345), Container);

        Assert.Equal(BlobEventVerdict.Import, result.Verdict);
        Assert.Equal(name, result.BlobName);
        Assert.Equal(12345, result.ContentLength);
    }

    [Fact]
    public void Read_CloudEventsSchema_ImportsLikeTheEventGridSchema()
    {
        using var evt = JsonDocument.Parse("""
            {"specversion":"1.0","type":"Microsoft.Storage.BlobCreated","source":"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
             "id":"1","subject":"/blobServices/default/containers/pos-exports/blobs/a.csv","data":{"contentLength":7}}
            """);

        var result = BlobCreatedEvent.Read(evt.RootElement, Container);

        Assert.Equal(BlobEventVerdict.Import, result.Verdict);
        Assert.Equal("a.csv", result.BlobName);
    }

    [Theory]
    [InlineData("Microsoft.Storage.BlobDeleted")]
    [InlineData("Microsoft.Storage.BlobTierChanged")]
    [InlineData("Microsoft.EventGrid.SubscriptionValidationEvent")]
    public void Read_OtherEventTypes_AreIgnored(string type)
    {
        var result = BlobCreatedEvent.Read(EventGridEvent(type, "/blobServices/default/containers/pos-exports/blobs/a.csv"), Container);

        Assert.Equal(BlobEventVerdict.Ignore, result.Verdict);
        Assert.Contains(type, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/blobServices/default/containers/pos-exports-reports/blobs/a.csv", "names container 'pos-exports-reports'")]
    [InlineData("/blobServices/default/containers/pos-exports/blobs/../app-package/app.zip", "'..' path segment")]
    [InlineData("/blobServices/default/containers/pos-exports/blobs//etc/passwd", "starts with '/'")]
    [InlineData("/blobServices/default/containers/pos-exports/blobs/a\\..\\b.csv", "contains '\\'")]
    [InlineData("/blobServices/default/containers/pos-exports/blobs/", "it is empty")]
    [InlineData("/blobServices/default/containers/pos-exports/a.csv", "names no blob")]
    [InlineData("/subscriptions/x/pos-exports/a.csv", "is not a blob subject")]
    [InlineData("", "is not a blob subject")]
    public void Read_SubjectOutsideTheExportsContainerOrUnsafe_IsRejectedNamingTheProblem(string subject, string expected)
    {
        var result = BlobCreatedEvent.Read(EventGridEvent("Microsoft.Storage.BlobCreated", subject), Container);

        Assert.Equal(BlobEventVerdict.Reject, result.Verdict);
        Assert.Null(result.BlobName);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invocation_OfAnotherEventType_IsAcknowledgedWithoutImporting()
    {
        await using var server = await RunningServer.StartAsync();
        var body = Invocation(JsonSerializer.Serialize(EventGridEvent("Microsoft.Storage.BlobDeleted", "/blobServices/default/containers/pos-exports/blobs/a.csv").GetRawText()));

        using var response = await server.InvokeAsync("ImportPosExport", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ignored", result.RootElement.GetProperty("ReturnValue").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Invocation_AcceptsTheEventAsObjectStringOrDoubleString(int encodings)
    {
        await using var server = await RunningServer.StartAsync();
        var inbox = Directory.CreateDirectory(Path.Combine(server.DataDir, "pos-exports")).FullName;
        await File.WriteAllTextAsync(Path.Combine(inbox, "enc.csv"), EndToEnd.PosHeader + "E1,2026-10-01T10:00:00Z,sale,10.00,USD,store-1,C1,enc@example.com,,En,Coded,\n");
        var value = EventGridEvent("Microsoft.Storage.BlobCreated", "/blobServices/default/containers/pos-exports/blobs/enc.csv").GetRawText();
        for (var i = 0; i < encodings; i++)
        {
            value = JsonSerializer.Serialize(value);
        }

        using var response = await server.InvokeAsync("ImportPosExport", Invocation(value));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var result = JsonDocument.Parse(text);
        Assert.Equal(1, result.RootElement.GetProperty("ReturnValue").GetProperty("accepted").GetInt64());
    }

    private static string Invocation(string eventJson) => "{\"Data\":{\"event\":" + eventJson + "}}";

    private static JsonElement EventGridEvent(string type, string subject, long length = 1)
    {
        using var evt = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            topic = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            subject,
            eventType = type,
            id = Guid.NewGuid().ToString(),
            eventTime = "2026-10-02T01:00:00Z",
            data = new { api = "PutBlob", contentLength = length, url = "https://st.blob.core.windows.net" + subject },
            dataVersion = "",
            metadataVersion = "1",
        }));
        return evt.RootElement.Clone();
    }
}
