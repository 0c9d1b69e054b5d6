using System.Net;
using System.Text.Json;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Publishing.Destinations;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests;

/// <summary>Local mode end to end: the inbox stands in for the blob container, the store's change log for the Cosmos DB trigger.</summary>
public sealed class LocalModeTests
{
    private const string Header = "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n";

    [Fact]
    public async Task ExportDroppedInTheInbox_IsImported_Valued_AndItsSegmentChangesPublished()
    {
        await using var server = await RunningServer.StartAsync(localMode: true);
        var rows = string.Concat(Enumerable.Range(1, 10).Select(i =>
            $"T{i},2026-0{1 + (i % 9)}-1{i % 10}T10:00:00Z,sale,{i * 10}.00,USD,store-sf,C{i},person{i}@example.com,,P,{i},\n"));
        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "store-sf.csv"), Header + rows);

        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(Timeout());
        await server.Services.GetRequiredService<RecomputeTrigger>().FireAsync(null, DateTime.UtcNow.AddDays(1), Timeout());
        await server.Services.GetRequiredService<ChangeFeedPump>().DrainAsync(Timeout());

        var report = Path.Combine(server.DataDir, "pos-exports-reports", "store-sf.csv.report.json");
        Assert.True(File.Exists(report));
        using var segments = JsonDocument.Parse(await server.Client.GetStringAsync("/api/segments"));
        var sizes = segments.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("size").GetInt32())
            .Where(s => s.Key is "top-20" or "middle-60" or "bottom-20").ToDictionary();
        Assert.Equal(new Dictionary<string, int> { ["top-20"] = 2, ["middle-60"] = 6, ["bottom-20"] = 2 }, sizes);
        var events = await File.ReadAllLinesAsync(Path.Combine(server.DataDir, "outbox", OutboxFileDestination.FileName));
        Assert.Equal(10, events.Length);
        var top = await server.Client.GetStringAsync("/api/profiles?email=person10@example.com");
        Assert.Contains("top-20", top, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecomputeAgainWithoutChanges_PublishesNothingNew()
    {
        await using var server = await RunningServer.StartAsync(localMode: true);
        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "a.csv"), Header + "T1,2026-01-01T10:00:00Z,sale,10.00,USD,s,C1,a@example.com,,,,\n");
        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(Timeout());
        var trigger = server.Services.GetRequiredService<RecomputeTrigger>();
        var pump = server.Services.GetRequiredService<ChangeFeedPump>();
        await trigger.FireAsync(null, DateTime.UtcNow.AddDays(1), Timeout());
        await pump.DrainAsync(Timeout());

        await trigger.FireAsync(null, DateTime.UtcNow.AddDays(1), Timeout());
        await pump.DrainAsync(Timeout());

        var events = await File.ReadAllLinesAsync(Path.Combine(server.DataDir, "outbox", OutboxFileDestination.FileName));
        Assert.Single(events);
        using var response = await server.Client.GetAsync("/api/segments");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
