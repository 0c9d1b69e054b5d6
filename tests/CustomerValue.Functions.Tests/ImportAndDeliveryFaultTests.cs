using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CustomerValue.Domain.Segments;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.PlatformFakes;
using Microsoft.Extensions.DependencyInjection;
using static CustomerValue.Functions.Tests.Support.EndToEnd;
using static CustomerValue.Functions.Tests.Support.SenderRetries;

namespace CustomerValue.Functions.Tests;

/// <summary>
/// 10 % transient store failures (timeouts; writes failing before or after they are applied) during a POS import and
/// during publishing and delivery, with the app's per-call retries as shipped and every failed invocation retried as
/// the Functions host would: the end state equals a clean run's — the same report, quarantine file and profiles for
/// the import; every segment change delivered, none lost and none twice but for the same event id (delivery is at
/// least once, and receivers drop repeated ids).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ImportAndDeliveryFaultTests
{
    private const string ExportName = "store-nyc-2026-10.csv";
    private static readonly string[] ReportFields = ["status", "read", "accepted", "duplicates", "anonymous", "quarantined", "skipped", "reconciles"];

    [Fact]
    public async Task PosImport_UnderTenPercentStoreFailures_RetriedAsTheHostWould_EndsInTheCleanRunsState()
    {
        var (csv, emails) = PosExport(rows: 6_000, customers: 400);
        // Small batches: a batch is a handful of store calls (it is resolved as a set), and the faults need calls to land on.
        var settings = new Dictionary<string, string?> { ["PosExports:MaxAttempts"] = "100", ["PosExports:BatchRecords"] = "64" };
        await using var clean = await RunningServer.StartAsync(settings: settings);
        await using var faulty = await RunningServer.StartAsync(settings: settings, services: s => FaultInjectingStore.Wrap(s, 0.10, seed: 29));
        var faults = faulty.Services.GetRequiredService<FaultInjectingStore>();
        string invocation = Fixtures.Read("Host/eventgrid-blob-created.json");
        foreach (var server in new[] { clean, faulty })
        {
            Directory.CreateDirectory(Path.Combine(server.DataDir, "pos-exports"));
            await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", ExportName), csv);
        }

        using var cleanAnswer = await clean.InvokeAsync("ImportPosExport", invocation);
        var expected = JsonDocument.Parse(await AssertOkAsync(cleanAnswer)).RootElement.GetProperty("ReturnValue");

        faults.Enabled = true;
        int retries = await UntilOkAsync(() => faulty.InvokeAsync("ImportPosExport", invocation), "import", HttpStatusCode.InternalServerError);
        faults.Enabled = false;
        // The host's retry of the same event after a success finds the import done and answers its report again.
        using var faultyAnswer = await faulty.InvokeAsync("ImportPosExport", invocation);
        var actual = JsonDocument.Parse(await AssertOkAsync(faultyAnswer)).RootElement.GetProperty("ReturnValue");

        Assert.True(faults.Injected > 30, $"only {faults.Injected} faults were injected ({retries} retries of the invocation)");
        foreach (string field in ReportFields)
        {
            Assert.Equal(expected.GetProperty(field).ToString(), actual.GetProperty(field).ToString());
        }

        Assert.True(actual.GetProperty("quarantined").GetInt64() > 0 && actual.GetProperty("duplicates").GetInt64() > 0, "the export must hold bad and repeated rows");
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(clean.DataDir, "pos-exports-reports", ExportName + ".quarantine.csv")),
            await File.ReadAllTextAsync(Path.Combine(faulty.DataDir, "pos-exports-reports", ExportName + ".quarantine.csv")));
        await AssertSameProfilesAsync(clean, faulty, emails.Take(120));
    }

    [Fact]
    public async Task PublishingAndDelivery_UnderTenPercentStoreFailures_DeliverEveryChangeOfTheCleanRun()
    {
        var (cleanServer, cleanFakes) = await StartLocalAsync(faults: false);
        await using var _ = cleanServer;
        await using var __ = cleanFakes;
        var (faultyServer, faultyFakes) = await StartLocalAsync(faults: true);
        await using var ___ = faultyServer;
        await using var ____ = faultyFakes;
        var faults = faultyServer.Services.GetRequiredService<FaultInjectingStore>();

        await ImportBuyersAsync(cleanServer);
        await RecomputeAsync(cleanServer);
        await DeliverAsync(cleanServer);
        await ImportBuyersAsync(faultyServer);
        // From the recompute on: its write-back, the change feed that publishes it and the delivery rounds.
        faults.Enabled = true;
        await RecomputeAsync(faultyServer);
        await DeliverAsync(faultyServer);
        faults.Enabled = false;
        // Anything a failed round left behind goes in the next rounds, as the timer's would.
        await DeliverAsync(faultyServer);

        Assert.True(faults.Injected > 10, $"only {faults.Injected} faults were injected");
        var expected = await DeliveredAsync(cleanServer, cleanFakes);
        var actual = await DeliveredAsync(faultyServer, faultyFakes);
        Assert.True(expected.Count >= 40, $"the clean run delivered only {expected.Count} changes");
        Assert.Equal(expected, actual);
        // At least once, never more than that: a change sent twice carries the same event id.
        var events = faultyFakes.Webhooks.Events.ToList();
        Assert.Equal(actual.Count, events.Select(e => e.GetProperty("eventId").GetString()).Distinct().Count());
        foreach (var server in new[] { cleanServer, faultyServer })
        {
            using var status = await server.Client.GetAsync("/api/destinations");
            var destination = Assert.Single(JsonDocument.Parse(await AssertOkAsync(status)).RootElement.EnumerateArray());
            Assert.Equal(0, destination.GetProperty("pending").GetInt64());
            Assert.Equal(0, destination.GetProperty("deadLettered").GetInt64());
            Assert.True(destination.GetProperty("delivered").GetInt64() >= expected.Count);
        }
    }

    /// <summary>
    /// An export of <paramref name="rows"/> sales by <paramref name="customers"/> customers, in which every 50th row
    /// names nobody, every 97th has an unreadable total and every 61st repeats an earlier transaction.
    /// </summary>
    private static (string Csv, List<string> Emails) PosExport(int rows, int customers)
    {
        var random = new Random(7);
        var csv = new StringBuilder(PosHeader);
        var start = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);
        string? repeat = null;
        for (int row = 1; row <= rows; row++)
        {
            if (row % 61 == 0 && repeat is not null)
            {
                csv.Append(repeat);
                continue;
            }

            int c = random.Next(customers);
            string at = start.AddMinutes(row * 37).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            string total = row % 97 == 0 ? "n/a" : (5m + random.Next(30_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);
            string line = row % 50 == 0
                ? $"T{row},{at},sale,{total},USD,store-nyc,,,,,,\n"
                : $"T{row},{at},sale,{total},USD,store-nyc,C{c},buyer{c}@example.com,,Buyer,{c},\n";
            csv.Append(line);
            repeat = line;
        }

        return (csv.ToString(), [.. Enumerable.Range(0, customers).Select(c => $"buyer{c}@example.com")]);
    }

    private static async Task<(RunningServer Server, PlatformFakeServer Fakes)> StartLocalAsync(bool faults)
    {
        var fakes = await PlatformFakeServer.StartAsync();
        var settings = Secrets();
        foreach (var (key, value) in fakes.Settings(SegmentNames.ValueTiers).Where(s => s.Key.StartsWith("Destinations:webhook:", StringComparison.Ordinal)))
        {
            settings[key] = value;
        }

        settings["LocalMode:DeliveryPollMilliseconds"] = "100";
        return (await RunningServer.StartAsync(localMode: true, settings, services: faults ? s => FaultInjectingStore.Wrap(s, 0.10, seed: 31) : null), fakes);
    }

    private static async Task ImportBuyersAsync(RunningServer server)
    {
        var rows = new StringBuilder(PosHeader);
        for (var i = 1; i <= 60; i++)
        {
            for (var order = 0; order <= i % 4; order++)
            {
                rows.Append(CultureInfo.InvariantCulture, $"B{i}-{order},2026-0{1 + (order % 3)}-{10 + (i % 18)}T10:00:00Z,sale,{(i * 7) % 200 + 5}.00,USD,store-sf,K{i},buyer{i}@example.com,,B,{i},\n");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "store-sf.csv"), rows.ToString());
        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(Timeout());
    }

    private static Task<string> RecomputeAsync(RunningServer server) =>
        server.Services.GetRequiredService<RecomputeTrigger>().FireAsync(null, new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), Timeout(300));

    private static async Task DeliverAsync(RunningServer server)
    {
        await server.Services.GetRequiredService<ChangeFeedPump>().DrainAsync(Timeout(300));
        await server.Services.GetRequiredService<DeliveryPump>().DrainAsync(Timeout(300));
    }

    /// <summary>The distinct changes a fake received, as (e-mail, segment, kind), sorted: profile ids differ between servers.</summary>
    private static async Task<List<string>> DeliveredAsync(RunningServer server, PlatformFakeServer fakes)
    {
        var emails = new Dictionary<string, string>(StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var change in fakes.Webhooks.Events.DistinctBy(e => e.GetProperty("eventId").GetString()))
        {
            string profileId = change.GetProperty("profileId").GetString()!;
            if (!emails.TryGetValue(profileId, out var email))
            {
                using var response = await server.Client.GetAsync($"/api/profiles/{profileId}");
                var profile = JsonDocument.Parse(await AssertOkAsync(response)).RootElement;
                email = profile.GetProperty("emails")[0].GetString()!;
                emails[profileId] = email;
            }

            changes.Add($"{email}|{change.GetProperty("segment").GetString()}|{change.GetProperty("kind")}");
        }

        changes.Sort(StringComparer.Ordinal);
        return changes;
    }
}
