using System.Globalization;
using System.Text;

namespace CustomerValue.Benchmarks.Wrk;

/// <summary>
/// One run's requests for <c>webhooks.lua</c>: pre-signed webhooks written as raw HTTP/1.1 requests, dealt to the wrk
/// threads in turn (request <c>i</c> to thread <c>i % threads</c>, so each thread keeps the shop's time order), one
/// file per thread of records <c>"&lt;byte count&gt;\n&lt;request&gt;"</c>.
/// </summary>
/// <param name="Prefix">The files are <c>{Prefix}-{thread}.req</c>; the script gets the prefix as its argument.</param>
/// <param name="Webhooks">The webhooks, in the order they were dealt.</param>
/// <param name="Threads">wrk threads.</param>
public sealed record WrkRequestFiles(string Prefix, IReadOnlyList<SignedWebhook> Webhooks, int Threads)
{
    /// <summary>The endpoint every request posts to.</summary>
    public const string WebhookPath = "/api/webhooks/shopify";

    /// <summary>Writes the files for a server at <paramref name="host"/> (the <c>Host</c> header, e.g. <c>127.0.0.1:5000</c>).</summary>
    public static WrkRequestFiles Write(string prefix, IReadOnlyList<SignedWebhook> webhooks, int threads, string host)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(webhooks.Count, threads);
        for (var thread = 0; thread < threads; thread++)
        {
            using var file = new FileStream($"{prefix}-{thread}.req", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            for (var i = thread; i < webhooks.Count; i += threads)
            {
                var request = RawRequest(webhooks[i], host);
                file.Write(Encoding.ASCII.GetBytes(request.Length.ToString(CultureInfo.InvariantCulture) + "\n"));
                file.Write(request);
            }
        }

        return new WrkRequestFiles(prefix, webhooks, threads);
    }

    /// <summary>
    /// The webhook a thread sent as its <paramref name="request"/>-th request (from 0): the thread's share in order,
    /// starting over at its end as the script does.
    /// </summary>
    public SignedWebhook Sent(int thread, long request) => Webhooks[thread + (int)(request % Share(thread)) * Threads];

    /// <summary>How many webhooks a thread's file holds.</summary>
    public int Share(int thread) => (Webhooks.Count - thread + Threads - 1) / Threads;

    /// <summary>The request as it goes on the wire: request line, headers (the signature among them), body.</summary>
    public static byte[] RawRequest(SignedWebhook webhook, string host)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var head = new StringBuilder(512)
            .Append(CultureInfo.InvariantCulture, $"POST {WebhookPath} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {webhook.Body.Length}\r\n");
        foreach (var (name, value) in webhook.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. webhook.Body];
    }
}
