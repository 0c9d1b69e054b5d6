using System.Text;
using CustomerValue.Benchmarks;
using CustomerValue.Benchmarks.Wrk;

namespace CustomerValue.Cli.Tests;

/// <summary>The parts of <c>bench wrk</c> that do not need wrk: the request files its script reads, and reading its result.</summary>
public class BenchWrkTests
{
    [Fact]
    public void RequestFiles_ReadAsTheScriptReadsThem_GiveEachThreadItsShareAsSignedRawRequests()
    {
        using var folder = new TempFolder();
        var webhooks = Enumerable.Range(0, 5).Select(i => new SignedWebhook(
            Encoding.UTF8.GetBytes($$"""{"id":{{i}},"note":"ünïcode"}"""),
            [KeyValuePair.Create("X-Shopify-Topic", "orders/create"), KeyValuePair.Create("X-Shopify-Hmac-Sha256", $"sig{i}=")])).ToList();

        var files = WrkRequestFiles.Write(folder.File("run"), webhooks, threads: 2, host: "127.0.0.1:5001");

        var thread1 = Records(folder.File("run-1.req"));
        Assert.Equal(2, thread1.Count);
        var request = Encoding.UTF8.GetString(thread1[1]);
        var (head, body) = (request[..request.IndexOf("\r\n\r\n", StringComparison.Ordinal)], request[(request.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.StartsWith("POST /api/webhooks/shopify HTTP/1.1\r\nHost: 127.0.0.1:5001\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {webhooks[3].Body.Length}\r\n", head, StringComparison.Ordinal);
        Assert.Contains("X-Shopify-Hmac-Sha256: sig3=", head, StringComparison.Ordinal);
        Assert.Equal(webhooks[3].Body, Encoding.UTF8.GetBytes(body));
        Assert.Equal(3, Records(folder.File("run-0.req")).Count);
        Assert.Equal(3, files.Share(0));
        Assert.Equal(2, files.Share(1));
        // Thread 1 holds webhooks 1 and 3; its third request starts its share over.
        Assert.Same(webhooks[3], files.Sent(1, 1));
        Assert.Same(webhooks[1], files.Sent(1, 2));
        Assert.Same(webhooks[4], files.Sent(0, 2));
    }

    [Fact]
    public void Result_Parse_ReadsTheScriptsLinesAndKeepsWrksOwnReport()
    {
        const string output = """
            Running 30s test @ http://127.0.0.1:5001/api/webhooks/shopify
              2 threads and 32 connections
              Latency Distribution
                 50%    9.10ms
            bench-wrk thread 0 sent 1010 accepted 990 duplicates 12 rounds 0 other -
            bench-wrk thread 1 sent 1008 accepted 980 duplicates 10 rounds 1 other 503=2,400=1,
            bench-wrk summary requests 1995 duration_us 1000000 p50_us 9100 p90_us 20000 p99_us 48500 p999_us 70000 max_us 91234 connect 0 read 1 write 0 timeout 2 status 3
            """;

        var result = WrkResult.Parse(output);

        Assert.Equal(1995, result.PerSecond, 3);
        Assert.Equal(new WrkLatency(9.1, 20, 48.5, 70, 91.234), result.Latency);
        Assert.Equal(3, result.SocketErrors);
        Assert.Equal(2, result.Threads.Count);
        Assert.Equal(1, result.Threads[1].Rounds);
        Assert.Equal(993, result.Threads[1].Answered);
        Assert.Equal(new Dictionary<int, long> { [400] = 1, [503] = 2 }, result.Non200);
        Assert.Contains("Latency Distribution", result.Report, StringComparison.Ordinal);
        Assert.DoesNotContain("bench-wrk", result.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Result_Parse_WithoutTheSummaryLine_SaysWhatWrkPrinted()
    {
        var error = Assert.Throws<FormatException>(() => WrkResult.Parse("unable to connect to 127.0.0.1:5001 Connection refused"));

        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchWrk_WithoutWrk_ExitsWithCode2AndSaysHowToInstallIt()
    {
        var result = await Cli.BenchAsync("wrk", "--wrk", Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N"), "wrk"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("apt-get install -y wrk", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The records of a request file, as webhooks.lua reads them: a byte count line, then that many bytes.</summary>
    private static List<byte[]> Records(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (var at = 0; at < bytes.Length;)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', at);
            var size = int.Parse(Encoding.ASCII.GetString(bytes, at, newline - at), System.Globalization.CultureInfo.InvariantCulture);
            records.Add(bytes[(newline + 1)..(newline + 1 + size)]);
            at = newline + 1 + size;
        }

        return records;
    }
}
