using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CustomerValue.Functions.Host;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Functions.Tests.Segments;

/// <summary>
/// The segment, run and channel APIs over HTTP on the real server: a shop of ten store customers imported as a POS
/// export, valued by the recompute invocation, then read back through every route.
/// </summary>
public sealed class SegmentApiTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Ten store customers c1..c10 who spent 10, 20, …, 100.</summary>
    private async Task SeedAsync()
    {
        var rows = string.Concat(Enumerable.Range(1, 10).Select(i =>
            $"T{i},2026-0{1 + (i % 9)}-1{i % 10}T10:00:00Z,sale,{i * 10}.00,USD,store-sf,C{i},person{i}@example.com,,P,{i},\n"));
        await EndToEnd.ImportPosAsync(_server, "shop.csv", EndToEnd.PosHeader + rows);
    }

    private async Task<JsonElement> RecomputeAsync(DateTimeOffset next)
    {
        using var response = await _server.InvokeAsync("RecomputeCustomerValue", HostPayloads.Serialize(HostPayloads.Timer("timer", null, next, false)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("ReturnValue").Clone();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _server.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(string name, string json)
    {
        using var response = await _server.Client.PutAsync("/api/segments/" + name, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task ListSegments_BeforeAnyRun_ListsEveryBuiltInSegmentEmpty_AfterARun_WithTheRunsKpis()
    {
        var (_, before) = await GetAsync("/api/segments");
        Assert.Equal(SegmentRegistry.BuiltIn.Select(r => r.Name), before.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(before.EnumerateArray(), s => Assert.False(s.TryGetProperty("kpis", out _)));

        await SeedAsync();
        var run = await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(1));
        var (status, after) = await GetAsync("/api/segments");

        Assert.Equal(HttpStatusCode.OK, status);
        var top = after.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "top-20");
        Assert.Equal(2, top.GetProperty("size").GetInt32());
        Assert.Equal(2, top.GetProperty("kpis").GetProperty("size").GetInt32());
        Assert.Equal(run.GetProperty("id").GetString(), top.GetProperty("runId").GetString());
        Assert.Equal("rankBased", top.GetProperty("timing").GetString());
        Assert.Equal("builtIn", top.GetProperty("kind").GetString());
        Assert.Equal(0.2, top.GetProperty("kpis").GetProperty("shareOfBuyers").GetDouble(), 6);
        Assert.Equal("realTime", after.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "due-soon").GetProperty("timing").GetString());
    }

    [Fact]
    public async Task GetSegment_ReturnsTheDefinitionAndOneKpiEntryPerRun_UnknownIs404()
    {
        await SeedAsync();
        var first = await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(1));
        var second = await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(2));

        var (status, segment) = await GetAsync("/api/segments/middle-60");
        var (missing, _) = await GetAsync("/api/segments/no-such-segment");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("top-20", segment.GetProperty("definition").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            [first.GetProperty("id").GetString(), second.GetProperty("id").GetString()],
            segment.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("runId").GetString()));
        Assert.All(segment.GetProperty("history").EnumerateArray(), h => Assert.Equal(6, h.GetProperty("kpis").GetProperty("size").GetInt32()));
        Assert.Equal(6, segment.GetProperty("history")[0].GetProperty("kpis").GetProperty("entered").GetInt32());
        Assert.Equal(0, segment.GetProperty("history")[1].GetProperty("kpis").GetProperty("entered").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Members_PageByPage_ReturnEveryMemberOnceWithValueFields()
    {
        await SeedAsync();
        await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(1));

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (status, page) = await GetAsync("/api/segments/middle-60/members?limit=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.Equal(HttpStatusCode.OK, status);
            var members = page.GetProperty("members").EnumerateArray().ToList();
            Assert.True(members.Count <= 2);
            foreach (var member in members)
            {
                seen.Add(member.GetProperty("profileId").GetString()!);
                Assert.True(member.GetProperty("value").GetProperty("historicClv").GetDecimal() > 0m);
                Assert.Contains("middle-60", member.GetProperty("segments").EnumerateArray().Select(s => s.GetString()));
                Assert.False(string.IsNullOrEmpty(member.GetProperty("reason").GetString()));
            }

            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
            Assert.True(++pages < 50, "paging does not end");
        }
        while (token is not null);

        Assert.Equal(6, seen.Count);
        Assert.Equal(6, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("/api/segments/top-20/members?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/segments/top-20/members?limit=1001", HttpStatusCode.BadRequest)]
    [InlineData("/api/segments/top-20/members?limit=ten", HttpStatusCode.BadRequest)]
    [InlineData("/api/segments/top-20/members?continuationToken=not-a-token", HttpStatusCode.BadRequest)]
    [InlineData("/api/segments/top-20/members?continuationToken=bTE6eHl6", HttpStatusCode.BadRequest)]
    [InlineData("/api/segments/no-such-segment/members", HttpStatusCode.NotFound)]
    [InlineData("/api/segments/top-20/members?limit=1000", HttpStatusCode.OK)]
    public async Task Members_WithBadArguments_AnswerClearly(string path, HttpStatusCode expected)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(expected, status);
        if (expected != HttpStatusCode.OK)
        {
            Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        }
    }

    [Fact]
    public async Task PutSegment_CreatesThenReplaces_AndListsItAsACustomSegment()
    {
        const string Body = """{"goal": "Reward the store's best", "rule": "orders >= 1 && netRevenue >= 80", "kpis": [{"metric": "size", "target": 2}], "destinations": ["meta"], "holdoutShare": 0.05}""";

        var (created, definition) = await PutAsync("store-best", Body);
        var (replaced, _) = await PutAsync("store-best", Body.Replace("80", "90", StringComparison.Ordinal));
        var (status, segment) = await GetAsync("/api/segments/store-best");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("store-best", definition.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("custom", segment.GetProperty("kind").GetString());
        Assert.Equal("orders >= 1 && netRevenue >= 90", segment.GetProperty("definition").GetString());
        Assert.Equal("api", segment.GetProperty("custom").GetProperty("source").GetString());
        Assert.Equal(0.05, segment.GetProperty("custom").GetProperty("holdoutShare").GetDouble());
        var (_, list) = await GetAsync("/api/segments");
        Assert.Equal("store-best", list.EnumerateArray().Last().GetProperty("name").GetString());
    }

    [Fact]
    public async Task PutSegment_WithABadRule_Is400PointingAtThePosition_AndStoresNothing()
    {
        var (status, refusal) = await PutAsync("lapsed", """{"goal": "Win back", "rule": "orders >= 1 &&\n valu.pAlive < 0.3", "kpis": [{"metric": "sizes", "target": 1}]}""");
        var (unparsable, parse) = await PutAsync("lapsed", """{"goal": "Win back", "rule": "orders >= (1"}""");
        var (notJson, json) = await PutAsync("lapsed", """{"goal": "Win back", "rule": """);
        var (after, _) = await GetAsync("/api/segments/lapsed");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(2, refusal.GetProperty("position").GetProperty("line").GetInt32());
        Assert.Equal(2, refusal.GetProperty("position").GetProperty("column").GetInt32());
        Assert.Contains("unknown field 'valu'", refusal.GetProperty("position").GetProperty("problem").GetString(), StringComparison.Ordinal);
        var details = refusal.GetProperty("details").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(details, d => d.StartsWith("rule: line 2, column 2", StringComparison.Ordinal));
        Assert.Contains(details, d => d.StartsWith("kpis[0].metric", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, unparsable);
        Assert.Equal(1, parse.GetProperty("position").GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, notJson);
        Assert.Contains("line 1", json.GetProperty("details")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, after);
    }

    [Fact]
    public async Task PutOrDelete_ABuiltInSegment_IsRefused_DeleteRemovesACustomOne()
    {
        var (put, _) = await PutAsync("top-20", """{"goal": "Mine now", "rule": "true"}""");
        using var deleteBuiltIn = await _server.Client.DeleteAsync("/api/segments/top-20");
        await PutAsync("temporary", """{"goal": "Try", "rule": "orders > 0"}""");
        using var delete = await _server.Client.DeleteAsync("/api/segments/temporary");
        using var again = await _server.Client.DeleteAsync("/api/segments/temporary");
        var (gone, _) = await GetAsync("/api/segments/temporary");
        var (badName, _) = await PutAsync("Not_A_Name", """{"goal": "Try", "rule": "true"}""");

        Assert.Equal(HttpStatusCode.Conflict, put);
        Assert.Equal(HttpStatusCode.Conflict, deleteBuiltIn.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal(HttpStatusCode.BadRequest, badName);
    }

    [Fact]
    public async Task Migrations_DefaultToTheLatestRunAgainstThePrevious_AndAddUpToTheTiers()
    {
        var (none, _) = await GetAsync("/api/runs/latest/migrations");
        await SeedAsync();
        var first = await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(1));
        var second = await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(2));

        var (status, latest) = await GetAsync("/api/runs/latest/migrations");
        var (_, firstMatrix) = await GetAsync($"/api/runs/{first.GetProperty("id").GetString()}/migrations");
        var (missing, _) = await GetAsync("/api/runs/run-19990101T000000Z/migrations");

        Assert.Equal(HttpStatusCode.NotFound, none);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(second.GetProperty("id").GetString(), latest.GetProperty("runId").GetString());
        Assert.Equal(first.GetProperty("id").GetString(), latest.GetProperty("previousRunId").GetString());
        Assert.Equal(16, latest.GetProperty("cells").GetArrayLength());
        Assert.Equal(10, latest.GetProperty("total").GetProperty("customers").GetInt32());
        int Cell(JsonElement matrix, string from, string to) => matrix.GetProperty("cells").EnumerateArray()
            .Single(c => c.GetProperty("from").GetString() == from && c.GetProperty("to").GetString() == to).GetProperty("customers").GetInt32();
        Assert.Equal(2, Cell(latest, "top-20", "top-20"));
        Assert.Equal(6, Cell(latest, "middle-60", "middle-60"));
        Assert.Equal(10, Cell(firstMatrix, "(new)", "top-20") + Cell(firstMatrix, "(new)", "middle-60") + Cell(firstMatrix, "(new)", "bottom-20"));
        Assert.Equal(
            latest.GetProperty("columnTotals").EnumerateArray().Sum(t => t.GetProperty("customers").GetInt32()),
            latest.GetProperty("rowTotals").EnumerateArray().Sum(t => t.GetProperty("customers").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Channels_ListTheLatestRunsTable_WhoseRowsAddUpToTheShop()
    {
        var (empty, before) = await GetAsync("/api/channels");
        await SeedAsync();
        await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(1));

        var (status, table) = await GetAsync("/api/channels");

        Assert.Equal(HttpStatusCode.OK, empty);
        Assert.Equal(0, before.GetProperty("channels").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = table.GetProperty("channels").EnumerateArray().ToList();
        Assert.Equal(10, table.GetProperty("shop").GetProperty("customers").GetInt32());
        Assert.Equal(10, rows.Sum(r => r.GetProperty("customers").GetInt32()));
        Assert.Equal(
            table.GetProperty("shop").GetProperty("netRevenue").GetDecimal(),
            rows.Sum(r => r.GetProperty("netRevenue").GetDecimal()));
        Assert.All(rows, r => Assert.Equal("not enough data", r.GetProperty("verdict").GetString()));
        Assert.Equal(550m, decimal.Parse(table.GetProperty("shop").GetProperty("netRevenue").GetRawText(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ASegmentSavedThroughTheApi_GainsMembersAndKpisAtTheNextRecompute()
    {
        await SeedAsync();
        var (saved, _) = await PutAsync("big-store-spenders",
            """{"goal": "Thank the store's biggest spenders", "rule": "'store' in channels && netRevenue >= 80", "kpis": [{"metric": "size", "target": 3}], "destinations": ["klaviyo"]}""");

        await RecomputeAsync(DateTimeOffset.UtcNow.AddDays(1));
        var (_, segment) = await GetAsync("/api/segments/big-store-spenders");
        var (_, page) = await GetAsync("/api/segments/big-store-spenders/members?limit=10");

        Assert.Equal(HttpStatusCode.Created, saved);
        Assert.Equal(3, segment.GetProperty("size").GetInt32());
        var target = Assert.Single(segment.GetProperty("kpis").GetProperty("targets").EnumerateArray());
        Assert.True(target.GetProperty("met").GetBoolean());
        Assert.Single(segment.GetProperty("history").EnumerateArray());
        var members = page.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(3, members.Count);
        Assert.All(members, m => Assert.StartsWith("channels [store]; netRevenue ", m.GetProperty("reason").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASegmentFromTheDefinitionsFile_IsListedAsFromTheFile_AndCannotBeOverwrittenOrDeleted()
    {
        var file = Path.Combine(Path.GetTempPath(), "cv-segments-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(file, "segments:\n  - name: loyal-store\n    goal: Keep store regulars\n    rule: \"'store' in channels\"\n");
        try
        {
            await using var server = await RunningServer.StartAsync(settings: new Dictionary<string, string?> { ["Segments:DefinitionsPath"] = file });
            using var list = JsonDocument.Parse(await server.Client.GetStringAsync("/api/segments"));
            using var put = await server.Client.PutAsync("/api/segments/loyal-store", new StringContent("""{"goal": "Mine", "rule": "true"}""", Encoding.UTF8, "application/json"));
            using var delete = await server.Client.DeleteAsync("/api/segments/loyal-store");

            var segment = list.RootElement.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "loyal-store");
            Assert.Equal("file", segment.GetProperty("custom").GetProperty("source").GetString());
            Assert.Equal("Keep store regulars", segment.GetProperty("description").GetString());
            Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
