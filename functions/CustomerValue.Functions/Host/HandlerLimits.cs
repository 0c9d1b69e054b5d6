namespace CustomerValue.Functions.Host;

/// <summary>
/// The largest request the handler accepts, chosen from what the Functions host can send rather than left at
/// Kestrel's default (30,000,000 bytes), and the arithmetic that keeps every invocation under it.
/// <para>
/// What reaches the handler: forwarded webhooks (capped lower again by <c>Webhooks:MaxBodyBytes</c>), timer
/// invocations (a few hundred bytes), ImportPosExport's Event Grid events (a few KB: the event names the blob, never
/// its content), and PublishSegmentChanges' change-feed batches, the only invocation whose size grows with data. A
/// batch holds at most <c>maxItemsPerInvocation</c> documents (its function.json); a document is at most
/// <see cref="CosmosMaxDocumentBytes"/> (Cosmos DB's item limit, the only bound on a profile's size); and the host
/// sends the batch's JSON text as a string that it JSON-encodes once more, like every string binding value, so the
/// text is escaped twice. Escaping turns <c>"</c> and <c>\</c> into two characters each (Newtonsoft.Json, the host's
/// serializer, leaves other characters alone, and the documents' own control characters are already escaped), so two
/// rounds at most quadruple the text (<see cref="HostStringEncodingFactor"/>). So
/// <c>maxItemsPerInvocation × 2 MiB × 4 + envelope</c> must stay within
/// <see cref="MaxRequestBodyBytes"/>; a test reads function.json and checks it.
/// </para>
/// <para>
/// A larger body is answered 413 with a message naming the limit (<see cref="InvocationEndpoints"/>); the limit is
/// also what one invocation may hold in memory, since an invocation body is parsed whole.
/// </para>
/// </summary>
public static class HandlerLimits
{
    /// <summary>The most bytes of one request body (Kestrel's <c>MaxRequestBodySize</c>): 64 MiB.</summary>
    public const long MaxRequestBodyBytes = 64L * 1024 * 1024;

    /// <summary>Cosmos DB's largest item (2 MiB), and so the largest profile document the change feed can deliver.</summary>
    public const long CosmosMaxDocumentBytes = 2L * 1024 * 1024;

    /// <summary>How much the host's two rounds of JSON-string encoding can grow a batch's text at most.</summary>
    public const int HostStringEncodingFactor = 4;

    /// <summary>Room kept for the invocation envelope (<c>Data</c>, <c>Metadata</c>, <c>sys</c>) and the array's commas.</summary>
    public const long EnvelopeBytes = 1024L * 1024;

    /// <summary>The largest change-feed batch (documents) that always fits in <see cref="MaxRequestBodyBytes"/>.</summary>
    public static int MaxDocumentsPerInvocation => (int)((MaxRequestBodyBytes - EnvelopeBytes) / (CosmosMaxDocumentBytes * HostStringEncodingFactor));
}
