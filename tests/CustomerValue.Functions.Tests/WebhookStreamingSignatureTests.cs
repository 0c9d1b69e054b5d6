using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Ingestion.Webhooks;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// The webhook signature is checked while the body streams into a pooled buffer: what the headers settle is answered
/// before the body is read, a forged body is refused 401 before anything parses it and without a new buffer per
/// request, and a body over the limit is answered 413 without being read past it.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class WebhookStreamingSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task PooledBody_LongerThanTheLimit_IsRefused_WithoutReadingPastIt()
    {
        using var source = new CountingStream(new byte[1024 * 1024]);

        var body = await PooledRequestBody.ReadAsync(source, maxBytes: 64 * 1024, observe: null, CancellationToken.None);

        Assert.Null(body);
        Assert.InRange(source.BytesRead, 64 * 1024, (64 * 1024) + 1);
    }

    [Fact]
    public async Task PooledBody_OfExactlyTheLimit_IsRead_AndEveryChunkIsObservedOnce()
    {
        // Several chunks, so that the body is joined.
        var bytes = new byte[(3 * PooledRequestBody.ChunkBytes) + 123];
        new Random(3).NextBytes(bytes);
        using var source = new CountingStream(bytes);
        long observed = 0;

        using var body = await PooledRequestBody.ReadAsync(source, maxBytes: bytes.Length, chunk => observed += chunk.Length, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(bytes, body.Memory.ToArray());
        Assert.Equal(bytes.Length, observed);
    }

    [Fact]
    public async Task PooledBody_ReadingAMegabyteAgain_AllocatesNoBufferOfItsSize()
    {
        var bytes = new byte[1024 * 1024];
        using (await PooledRequestBody.ReadAsync(new MemoryStream(bytes), 5 * 1024 * 1024, null, CancellationToken.None))
        {
        }

        // A memory stream completes every read at once, so the whole read runs on this thread and is counted here.
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var body = await PooledRequestBody.ReadAsync(new MemoryStream(bytes), 5 * 1024 * 1024, null, CancellationToken.None))
        {
            Assert.Equal(bytes.Length, body!.Length);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 16 * 1024, $"reading a 1 MB body allocated {allocated:N0} bytes");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void StreamedHmac_InChunks_AgreesWithTheWholeBodyCheck(int chunkBytes)
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":1,\"total_price\":\"12.50\",\"note\":\"" + new string('x', 10_000) + "\"}");
        string shopify = WebhookSignatures.SignBody("s3cret", body);
        string events = WebhookSignatures.SignStandardWebhook("whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("events-key")), "msg_1", Now.ToUnixTimeSeconds(), body);
        var forged = (byte[])body.Clone();
        forged[^5] ^= 1;

        Assert.Equal(SignatureCheck.Valid, Stream(WebhookSignatures.BeginBodyHmac("s3cret", shopify), body, chunkBytes));
        Assert.Equal(SignatureCheck.Invalid, Stream(WebhookSignatures.BeginBodyHmac("s3cret", shopify), forged, chunkBytes));
        var key = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("events-key"));
        var at = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(SignatureCheck.Valid, Stream(WebhookSignatures.BeginStandardWebhook(key, "msg_1", at, events, Now), body, chunkBytes));
        Assert.Equal(SignatureCheck.Invalid, Stream(WebhookSignatures.BeginStandardWebhook(key, "msg_1", at, events, Now), forged, chunkBytes));
        Assert.Equal(SignatureCheck.Expired, Stream(WebhookSignatures.BeginStandardWebhook(key, "msg_1", at, events, Now.AddMinutes(6)), body, chunkBytes));
        Assert.Equal(
            WebhookSignatures.VerifyStandardWebhook(key, "msg_1", at, events, body, Now),
            Stream(WebhookSignatures.BeginStandardWebhook(key, "msg_1", at, events, Now), body, chunkBytes));
    }

    [Fact]
    public void Headers_WithoutSignatureOrSecret_AreRefusedBeforeTheBody()
    {
        using var unsigned = WebhookSignatures.BeginBodyHmac("s3cret", null);
        using var unconfigured = WebhookSignatures.BeginBodyHmac(null, "Zm9yZ2Vk");
        using var badTimestamp = WebhookSignatures.BeginStandardWebhook("whsec_ZXZlbnRz", "msg_1", "yesterday", "v1,Zm9yZ2Vk", Now);

        Assert.Equal(SignatureCheck.Missing, unsigned.Decided);
        Assert.Equal(SignatureCheck.NotConfigured, unconfigured.Decided);
        Assert.Equal(SignatureCheck.Invalid, badTimestamp.Decided);
    }

    [Fact]
    public async Task ForgedMegabyteBodies_AreRefused401_WithoutABufferPerRequest()
    {
        await using var server = await RunningServer.StartAsync();
        // Not JSON: a body that reached a parser would be answered 400, not 401.
        var forged = new byte[1024 * 1024];
        Array.Fill(forged, (byte)'<');
        Assert.Equal(HttpStatusCode.Unauthorized, await SendShopifyAsync(server, forged, "Zm9yZ2Vk"));

        const int Requests = 16;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < Requests; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendShopifyAsync(server, forged, "Zm9yZ2Vk"));
        }

        // Client and server together; the unpooled reading allocated at least the body (1 MB) per request on the server alone.
        long perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / Requests;
        Assert.True(perRequest < 256 * 1024, $"a refused 1 MB body allocated {perRequest:N0} bytes");
    }

    [Fact]
    public async Task Bodies_OverTheLimit_Are413_AndUnsignedOnesOverAPingsLength_Are401()
    {
        await using var server = await RunningServer.StartAsync(settings: EndToEnd.Secrets().Concat([KeyValuePair.Create<string, string?>("Webhooks:MaxBodyBytes", "65536")]).ToDictionary());
        var large = new byte[100_000];
        Array.Fill(large, (byte)' ');

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendShopifyAsync(server, large, WebhookSignatures.SignBody(RunningServer.ShopifySecret, large)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendShopifyAsync(server, large, WebhookSignatures.SignBody(RunningServer.ShopifySecret, large), chunked: true));
        using var unsignedWoo = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce") { Content = new ByteArrayContent(new byte[10_000]) };
        unsignedWoo.Headers.Add("X-WC-Webhook-Source", EndToEnd.WooSource);
        using var refused = await server.Client.SendAsync(unsignedWoo);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var ping = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/woocommerce") { Content = new StringContent("webhook_id=17", Encoding.UTF8, "application/x-www-form-urlencoded") };
        ping.Headers.Add("X-WC-Webhook-Source", EndToEnd.WooSource);
        using var pinged = await server.Client.SendAsync(ping);
        Assert.Equal(HttpStatusCode.OK, pinged.StatusCode);
    }

    private static SignatureCheck Stream(StreamingSignature signature, byte[] body, int chunkBytes)
    {
        using (signature)
        {
            for (int at = 0; at < body.Length; at += chunkBytes)
            {
                signature.Append(body.AsSpan(at, Math.Min(chunkBytes, body.Length - at)));
            }

            return signature.Complete();
        }
    }

    private static async Task<HttpStatusCode> SendShopifyAsync(RunningServer server, byte[] body, string signature, bool chunked = false)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = content };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = chunked ? true : null;
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", "fixture.myshopify.com");
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
        try
        {
            using var response = await server.Client.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException ex) when (chunked && ex.StatusCode is { } status)
        {
            return status;
        }
    }

    /// <summary>A stream over bytes that counts what was read from it.</summary>
    private sealed class CountingStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = _inner.Read(buffer.Span);
            BytesRead += n;
            return ValueTask.FromResult(n);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>Tests that measure the process's allocations: they run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public sealed class AllocationSensitive
{
}
