using System.Net;
using System.Text.Json;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Publishing.Destinations;

namespace CustomerValue.Functions.Tests;

/// <summary>Replays host-shaped invocations (Fixtures/Host) against the real server.</summary>
public sealed class HostContractTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("timer.json")]
    [InlineData("timer-first-run.json")]
    public async Task Recompute_WithHostTimerPayload_AnswersInvocationResult(string fixture)
    {
        using var response = await _server.InvokeAsync("RecomputeCustomerValue", Fixtures.Read("Host/" + fixture));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.StartsWith("Recompute run-", body.RootElement.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, body.RootElement.GetProperty("ReturnValue").GetProperty("profiles").GetInt32());
    }

    [Fact]
    public async Task Recompute_RetriedForTheSameOccurrence_KeepsItsRunId()
    {
        // timer.json: ScheduleStatus.Next is 2026-11-24T03:00Z on the daily 03:00 schedule, so this is the 2026-11-23 run,
        // whenever it (or the host's retry of it) actually executes.
        var ids = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var response = await _server.InvokeAsync("RecomputeCustomerValue", Fixtures.Read("Host/timer.json"));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.Add(body.RootElement.GetProperty("ReturnValue").GetProperty("id").GetString()!);
        }

        Assert.Equal(["run-20261123T030000Z", "run-20261123T030000Z"], ids);
    }

    [Theory]
    [InlineData("cosmos-string.json")]
    [InlineData("cosmos-array.json")]
    [InlineData("cosmos-double-string.json")]
    public async Task Publish_AcceptsEveryEncodingOfTheDocuments(string fixture)
    {
        using var response = await _server.InvokeAsync("PublishSegmentChanges", Fixtures.Read("Host/" + fixture));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = body.RootElement.GetProperty("ReturnValue");
        Assert.Equal(2, result.GetProperty("profiles").GetInt32());
        Assert.Equal(2, result.GetProperty("events").GetInt32());
    }

    [Fact]
    public async Task Publish_WhenTheSameBatchIsDeliveredTwice_PublishesOnce()
    {
        var batch = Fixtures.Read("Host/cosmos-string.json");

        using var first = await _server.InvokeAsync("PublishSegmentChanges", batch);
        using var second = await _server.InvokeAsync("PublishSegmentChanges", batch);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal(0, body.RootElement.GetProperty("ReturnValue").GetProperty("events").GetInt32());
        Assert.Equal(2, body.RootElement.GetProperty("ReturnValue").GetProperty("unchanged").GetInt32());
        var lines = File.ReadAllLines(Path.Combine(_server.DataDir, "outbox", OutboxFileDestination.FileName));
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"kind\":\"joined\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_SkipsAnUnreadableDocumentAndPublishesTheRest()
    {
        var batch = """{"Data":{"profiles":"[42, {\"id\":\"cp-ok\",\"segments\":[\"top-20\"],\"segmentsRunId\":\"run-1\"}, {\"segments\":[]}]"},"Metadata":{}}""";

        using var response = await _server.InvokeAsync("PublishSegmentChanges", batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var result = body.RootElement.GetProperty("ReturnValue");
        Assert.Equal(1, result.GetProperty("events").GetInt32());
        Assert.Equal(2, result.GetProperty("skipped").GetArrayLength());
    }

    [Theory]
    [InlineData("eventgrid-blob-created.json")]
    [InlineData("cloudevent-blob-created.json")]
    public async Task ImportPosExport_StreamsTheBlobNamedInTheBlobCreatedEvent(string fixture)
    {
        var inbox = Path.Combine(_server.DataDir, "pos-exports");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(inbox, "store-nyc-2026-10.csv"),
            "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n" +
            "T1,2026-10-01T10:00:00Z,sale,42.50,USD,store-nyc,C1,ada@example.com,,Ada,Lovelace,\n" +
            "T2,2026-10-01T11:00:00Z,sale,not-a-number,USD,store-nyc,C2,bob@example.com,,Bob,Ross,\n" +
            "T3,2026-10-01T12:00:00Z,sale,10.00,USD,store-nyc,,,,,,\n");

        using var first = await _server.InvokeAsync("ImportPosExport", Fixtures.Read("Host/" + fixture));
        using var second = await _server.InvokeAsync("ImportPosExport", Fixtures.Read("Host/" + fixture));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var body = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        var report = body.RootElement.GetProperty("ReturnValue");
        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.Equal(3, report.GetProperty("read").GetInt64());
        Assert.Equal(1, report.GetProperty("accepted").GetInt64());
        Assert.Equal(1, report.GetProperty("anonymous").GetInt64());
        Assert.Equal(1, report.GetProperty("quarantined").GetInt64());
        Assert.True(report.GetProperty("reconciles").GetBoolean());
        var quarantine = await File.ReadAllTextAsync(Path.Combine(_server.DataDir, "pos-exports-reports", "store-nyc-2026-10.csv.quarantine.csv"));
        Assert.Contains("2,3,", quarantine, StringComparison.Ordinal);
        using var found = await _server.Client.GetAsync("/api/profiles?email=ADA@example.com");
        using var profiles = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        Assert.Equal(1, profiles.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task ImportPosExport_WhenTheBlobIsGone_CompletesWithoutImporting()
    {
        using var response = await _server.InvokeAsync("ImportPosExport", Fixtures.Read("Host/eventgrid-blob-created.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("missing", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RecomputeCustomerValue", "not json", "not valid JSON")]
    [InlineData("RecomputeCustomerValue", "[1,2]", "must be a JSON object")]
    [InlineData("RecomputeCustomerValue", """{"Metadata":{}}""", "no \"Data\" object")]
    [InlineData("RecomputeCustomerValue", """{"Data":{"timer":"\"tick\""}}""", "Data.timer must be the timer object")]
    [InlineData("PublishSegmentChanges", """{"Data":{}}""", "Data.profiles is missing")]
    [InlineData("PublishSegmentChanges", """{"Data":{"profiles":"not json"}}""", "does not hold JSON")]
    [InlineData("PublishSegmentChanges", """{"Data":{"profiles":{"id":"x"}}}""", "must hold a JSON array")]
    [InlineData("ImportPosExport", """{"Data":{},"Metadata":{}}""", "Data.event is missing")]
    [InlineData("ImportPosExport", """{"Data":{"event":"not json"}}""", "does not hold JSON")]
    [InlineData("ImportPosExport", """{"Data":{"event":{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/pos-exports/blobs/../../etc/passwd"}}}""", "is not a blob name inside pos-exports")]
    [InlineData("ImportPosExport", """{"Data":{"event":{"eventType":"Microsoft.Storage.BlobCreated","subject":"/blobServices/default/containers/app-package/blobs/released-app.zip"}}}""", "names container 'app-package', not 'pos-exports'")]
    public async Task MalformedInvocation_Gets400NamingTheProblem(string function, string body, string expected)
    {
        using var response = await _server.InvokeAsync(function, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(expected, result.RootElement.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_AnswersOnRoot_AndOnHealthz()
    {
        // The host's probe is GET / (any answer means ready; here it leads to the dashboard); tools ask /healthz.
        using var root = await _server.Client.GetAsync("/");
        using var response = await _server.Client.GetAsync(ServerApp.ReadinessPath);

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
