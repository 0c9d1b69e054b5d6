using System.Net;
using System.Text;
using System.Text.Json;
using CustomerValue.Functions.Functions.PublishSegmentChanges;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// The handler's request limit and the one invocation whose size grows with data (the change-feed batch) agree:
/// a batch of the largest documents Cosmos DB can hold, JSON-encoded by the host, fits; anything larger is a clear 413.
/// </summary>
public sealed class HandlerLimitsTests
{
    [Fact]
    public void ChangeFeedBatch_OfMaxItemsLargestDocuments_FitsTheRequestLimit()
    {
        var maxItems = MaxItemsPerInvocation();

        // Assumption (HandlerLimits): a profile is at most Cosmos DB's 2 MiB item limit, and the host's JSON-string
        // two rounds of JSON-string encoding of the batch at most quadruple it.
        var worstBatch = (maxItems * HandlerLimits.CosmosMaxDocumentBytes * HandlerLimits.HostStringEncodingFactor) + HandlerLimits.EnvelopeBytes;

        Assert.InRange(maxItems, 1, HandlerLimits.MaxDocumentsPerInvocation);
        Assert.True(worstBatch <= HandlerLimits.MaxRequestBodyBytes, $"{maxItems} documents can reach {worstBatch} bytes, above {HandlerLimits.MaxRequestBodyBytes}");
    }

    [Fact]
    public async Task Kestrel_IsConfiguredWithTheDocumentedLimit()
    {
        await using var server = await RunningServer.StartAsync();

        var kestrel = server.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Equal(HandlerLimits.MaxRequestBodyBytes, kestrel.Limits.MaxRequestBodySize);
    }

    [Fact]
    public async Task ChangeFeedBatch_OfMaxItemsLargestEscapeHeavyDocuments_IsAccepted()
    {
        await using var server = await RunningServer.StartAsync();
        var maxItems = MaxItemsPerInvocation();
        var documents = new StringBuilder("[");
        for (var i = 0; i < maxItems; i++)
        {
            documents.Append(i == 0 ? string.Empty : ",").Append(LargestDocument($"cp-limit-{i}"));
        }

        var invocation = HostPayloads.CosmosDocuments(PublishSegmentChangesFunction.DocumentsBinding, PublishSegmentChangesFunction.Name, documents.Append(']').ToString());
        var body = HostPayloads.Serialize(invocation);
        Assert.True(Encoding.UTF8.GetByteCount(body) > HandlerLimits.MaxRequestBodyBytes * 0.8, "the batch does not come near the limit: the test proves nothing");

        using var response = await server.InvokeAsync(PublishSegmentChangesFunction.Name, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
    }

    [Fact]
    public async Task Invocation_AboveTheLimit_Gets413NamingTheLimit()
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + PublishSegmentChangesFunction.Name)
        {
            // Declared, not sent: the handler answers from Content-Length, and Expect: 100-continue keeps the client
            // from streaming 64 MiB into a connection the server is closing.
            Content = new StreamContent(new MemoryStream(new byte[1])),
        };
        request.Content.Headers.ContentLength = HandlerLimits.MaxRequestBodyBytes + 1;
        request.Headers.ExpectContinue = true;

        // The client waits for "100 Continue" only a second by default, after which it would send the (short) body: on a
        // loaded machine the server's answer comes later than that. Waiting longer keeps the test about the limit.
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = server.Client.BaseAddress };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = result.RootElement.GetProperty("Logs")[0].GetString();
        Assert.Contains($"limit of {HandlerLimits.MaxRequestBodyBytes} bytes", message, StringComparison.Ordinal);
        Assert.Contains("maxItemsPerInvocation", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A profile-shaped document of exactly 2 MiB whose filler is all escaped quotes (<c>\"</c>), each of which the
    /// host's two rounds of string encoding turn into eight characters: the worst case for the encoding factor.
    /// </summary>
    private static string LargestDocument(string id)
    {
        var head = $$"""{"id":"{{id}}","pk":"{{id}}","segments":["top-20"],"segmentsRunId":"run-limit","_lsn":1,"filler":" """.TrimEnd();
        const string tail = "\"}";
        var fillerChars = (int)HandlerLimits.CosmosMaxDocumentBytes - head.Length - tail.Length;
        var filler = new StringBuilder(fillerChars);
        filler.Insert(0, "\\\"", fillerChars / 2).Append('x', fillerChars % 2);
        var document = head + filler + tail;
        Assert.Equal(HandlerLimits.CosmosMaxDocumentBytes, Encoding.UTF8.GetByteCount(document));
        return document;
    }

    private static int MaxItemsPerInvocation()
    {
        var path = Path.Combine(AppContext.BaseDirectory, PublishSegmentChangesFunction.Name, "function.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.GetProperty("bindings")[0].GetProperty("maxItemsPerInvocation").GetInt32();
    }
}
