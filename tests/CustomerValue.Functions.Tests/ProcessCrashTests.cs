using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CustomerValue.Application.PosImports;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// The server as its own process, killed (SIGKILL: no shutdown, no flush) in the middle of a POS import and a webhook
/// flood, then started again on the same data folder: the import resumes and its report counts every row once, and
/// the webhooks that were not answered 200 before the kill, sent again as a shop would, leave every order counted once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ProcessCrashTests : IDisposable
{
    private const int Rows = 30_000;
    private const int FloodOrders = 300;
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["LocalMode:Enabled"] = "true",
        ["LocalMode:InboxPollMilliseconds"] = "100",
        ["Webhooks:Shopify:Secret"] = RunningServer.ShopifySecret,
        ["Webhooks:RateLimit:PermitsPerSecond"] = "100000",
        ["Webhooks:RateLimit:Burst"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "cv-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task KilledMidImportAndMidFlood_Restarted_CountsEveryRowAndOrderOnce()
    {
        Directory.CreateDirectory(Path.Combine(_dataDir, "pos-exports"));
        var expected = WriteExport(Path.Combine(_dataDir, "chain.csv"));
        int port = ServerProcess.FreePort();

        using (var first = ServerProcess.Start(_dataDir, port, Settings))
        {
            await first.WaitReadyAsync(TimeSpan.FromMinutes(1));
            File.Move(Path.Combine(_dataDir, "chain.csv"), Path.Combine(_dataDir, "pos-exports", "chain.csv"));
            var flood = Flood(first.Client);
            await WaitForAsync(async () => (await ReportAsync())?.RecordsDone > 0, "the import to start");
            await Task.Delay(300);
            first.Kill();
            await flood;
        }

        var interrupted = await ReportAsync();
        Assert.NotNull(interrupted);
        Assert.Equal(PosImportStatus.Running, interrupted.Status);

        using var second = ServerProcess.Start(_dataDir, port, Settings);
        await second.WaitReadyAsync(TimeSpan.FromMinutes(1));
        await WaitForAsync(async () => (await ReportAsync())?.Status is PosImportStatus.Completed or PosImportStatus.Failed, "the import to finish");
        foreach (int i in Enumerable.Range(0, FloodOrders))
        {
            // Every delivery again, as a shop re-sends what it saw fail; those that were applied are duplicates.
            using var response = await SendOrderAsync(second.Client, i);
            await AssertOkAsync(response);
        }

        var report = (await ReportAsync())!;
        Assert.Equal(PosImportStatus.Completed, report.Status);
        Assert.Equal(Rows, report.Read);
        Assert.True(report.Reconciles, $"read {report.Read} = accepted {report.Accepted} + duplicates {report.Duplicates} + anonymous {report.Anonymous} + quarantined {report.Quarantined} + skipped {report.Skipped}");
        Assert.Equal(expected.Identified, report.Accepted);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(expected.Bad, report.Quarantined);

        decimal gross = 0;
        foreach (int c in Enumerable.Range(0, 200))
        {
            var found = await FindAsync(second.Client, "email", $"chain{c}@example.com");
            gross += found.Sum(p => p.GetProperty("grossRevenue").GetDecimal());
        }

        Assert.Equal(expected.Gross, gross);
        foreach (int c in Enumerable.Range(0, FloodOrders / 3))
        {
            var buyer = await SingleAsync(second.Client, "email", $"flood{c}@example.com");
            Assert.Equal(3, buyer.GetProperty("orders").GetInt32());
            Assert.Equal(3 * 25m, buyer.GetProperty("grossRevenue").GetDecimal());
        }
    }

    /// <summary>Sends the flood eight at a time until the server dies; failures are expected once it is killed.</summary>
    private static async Task Flood(HttpClient client)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, FloodOrders), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            try
            {
                using var response = await SendOrderAsync(client, i);
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        });
    }

    private static Task<HttpResponseMessage> SendOrderAsync(HttpClient client, int i)
    {
        string body = ShopifyOrder(700_000 + i, $"flood{i / 3}@example.com", total: 25m, placedAt: new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero).AddHours(i));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Shopify-Topic", "orders/create");
        request.Headers.Add("X-Shopify-Shop-Domain", "fixture.myshopify.com");
        request.Headers.Add("X-Shopify-Webhook-Id", $"crash-{i}");
        request.Headers.Add("X-Shopify-Hmac-Sha256", Ingestion.Webhooks.WebhookSignatures.SignBody(RunningServer.ShopifySecret, Encoding.UTF8.GetBytes(body)));
        return client.SendAsync(request);
    }

    private async Task<PosImportReport?> ReportAsync()
    {
        string path = Path.Combine(_dataDir, "customervalue.db");
        if (!File.Exists(path))
        {
            return null;
        }

        using var store = new SqliteDocumentStore(path);
        // The container also holds checkpoints and quarantine chunks: pick the report by its shape.
        await foreach (var document in store.ScanAsync<System.Text.Json.JsonElement>(ContainerNames.Imports))
        {
            if (document.Body.TryGetProperty("exportName", out var name) && name.GetString() == "chain.csv" && document.Body.TryGetProperty("startedAt", out _))
            {
                return document.Body.Deserialize<PosImportReport>(DocumentJson.Options);
            }
        }

        return null;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>200 customers known by e-mail, walk-ins, and a bad row every 997.</summary>
    private static (long Identified, long Bad, decimal Gross) WriteExport(string path)
    {
        var random = new Random(3);
        var text = new StringBuilder("transaction_id,timestamp,type,total,currency,store_id,customer_id,email\n");
        long identified = 0, bad = 0;
        decimal gross = 0;
        var start = new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
        for (int row = 0; row < Rows; row++)
        {
            string at = start.AddMinutes(row * 3).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            decimal total = 5m + random.Next(100, 20_000) / 100m;
            if (row % 997 == 13)
            {
                text.Append(CultureInfo.InvariantCulture, $"T{row},{at},sale,not-a-number,USD,s{row % 5},,\n");
                bad++;
            }
            else if (random.Next(10) == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"T{row},{at},sale,{total},USD,s{row % 5},,\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"T{row},{at},sale,{total},USD,s{row % 5},,chain{random.Next(200)}@example.com\n");
                identified++;
                gross += total;
            }
        }

        File.WriteAllText(path, text.ToString());
        return (identified, bad, gross);
    }
}
