using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Functions.Tests.Support;
using CustomerValue.Publishing.Destinations;
using CustomerValue.Storage.Documents;
using Microsoft.Extensions.DependencyInjection;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary>Erasure, export, shop redaction and data requests, end to end over HTTP against the real server.</summary>
public sealed class PrivacyTests
{
    private const string Shop = "fixture.myshopify.com";
    private const string AdaEmail = "ada.quillfeather@example.com";
    private const string AdaPhone = "+1 415 555 2671";
    private const string AdaE164 = "+14155552671";
    private const string AdaLastName = "Quillfeather";

    [Fact]
    public async Task CustomersRedact_ForAnOnlineAndInStoreBuyer_ErasesThemEverywhere_AndWithdrawsTheirSegments()
    {
        await using var server = await RunningServer.StartAsync(localMode: true, Secrets());
        var adaOrder = ShopifyOrder(5001, AdaEmail, customerId: 1001, phone: AdaPhone, total: 120m);
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", adaOrder, "wh-ada-1"));
        // At the till she types her address differently and gives her number in national form.
        var rows = new StringBuilder(PosHeader)
            .Append("T1,2026-02-01T10:00:00Z,sale,80.00,USD,store-sf,C77,ADA.Quillfeather@Example.com,(415) 555-2671,Ada,Quillfeather,\n");
        for (var i = 1; i <= 5; i++)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"B{i},2026-02-0{i}T10:00:00Z,sale,{i * 15}.00,USD,store-sf,K{i},other{i}@example.com,,O,{i},\n");
        }

        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "pos-exports", "store-sf.csv"), rows.ToString());
        await server.Services.GetRequiredService<PosExportInboxWatcher>().DrainAsync(Timeout());
        var ada = await SingleAsync(server.Client, "email", AdaEmail);
        var adaId = ada.GetProperty("id").GetString()!;
        Assert.Equal(2, ada.GetProperty("orders").GetInt32());
        Assert.Equal(["online", "store"], Strings(ada, "channels"));
        Assert.Equal(adaId, (await SingleAsync(server.Client, "sourceId", "pos:generic:C77")).GetProperty("id").GetString());

        await server.Services.GetRequiredService<RecomputeTrigger>().FireAsync(null, DateTime.UtcNow.AddDays(1), Timeout());
        await server.Services.GetRequiredService<ChangeFeedPump>().DrainAsync(Timeout());
        Assert.Contains(await OutboxEventsAsync(server), e => e.Profile == adaId && e.Kind == "joined");

        using var redact = await server.SendShopifyAsync("customers/redact", ShopifyPrivacy(Shop, 1001, AdaEmail, AdaPhone, [5001]), "wh-ada-redact");
        Assert.Equal(HttpStatusCode.OK, redact.StatusCode);

        Assert.Empty(await FindAsync(server.Client, "email", AdaEmail));
        Assert.Empty(await FindAsync(server.Client, "email", "ADA.Quillfeather@Example.com"));
        Assert.Empty(await FindAsync(server.Client, "phone", AdaE164));
        Assert.Empty(await FindAsync(server.Client, "phone", "(415) 555-2671"));
        Assert.Empty(await FindAsync(server.Client, "sourceId", "shopify:fixture:1001"));
        Assert.Empty(await FindAsync(server.Client, "sourceId", "pos:generic:C77"));
        using (var byId = await server.Client.GetAsync("/api/profiles/" + adaId))
        {
            Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        }

        using (var export = await server.Client.GetAsync($"/api/profiles/{adaId}/export"))
        {
            Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        }

        await server.Services.GetRequiredService<RecomputeTrigger>().FireAsync(null, DateTime.UtcNow.AddDays(2), Timeout());
        await server.Services.GetRequiredService<ChangeFeedPump>().DrainAsync(Timeout());

        var events = await OutboxEventsAsync(server);
        var joined = events.Where(e => e.Profile == adaId && e.Kind == "joined").Select(e => e.Segment).ToList();
        var left = events.Where(e => e.Profile == adaId && e.Kind == "left").Select(e => e.Segment).ToList();
        Assert.NotEmpty(left);
        Assert.Equal(joined.Order(StringComparer.Ordinal), left.Order(StringComparer.Ordinal));
        Assert.Single(await FindAsync(server.Client, "email", "other3@example.com"));

        // Nothing the app wrote (outbox, import reports, …) names her; the POS upload itself is the shop's file.
        foreach (var file in Directory.EnumerateFiles(server.DataDir, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(server.DataDir, file);
            if (relative.StartsWith("customervalue.db", StringComparison.Ordinal) || relative.StartsWith("pos-exports" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var text = await ReadSharedAsync(file);
            Assert.DoesNotContain(AdaEmail, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("4155552671", text, StringComparison.Ordinal);
            Assert.DoesNotContain(AdaLastName, text, StringComparison.OrdinalIgnoreCase);
        }

        // Nor does any document left in the store.
        var store = server.Services.GetRequiredService<IDocumentStore>();
        foreach (var container in ContainerNames.All)
        {
            await foreach (var document in store.ScanAsync<JsonElement>(container))
            {
                var json = document.Body.GetRawText();
                Assert.DoesNotContain(AdaEmail, json, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(AdaE164, json, StringComparison.Ordinal);
                Assert.DoesNotContain(AdaLastName, json, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("shopify:fixture:1001", json, StringComparison.Ordinal);
                Assert.DoesNotContain("pos:generic:C77", json, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task EraseProfile_Answers204_ThenTheProfileIs404_AndASecondDeleteIs404()
    {
        await using var server = await RunningServer.StartAsync(settings: Secrets());
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(6001, "erase.me@example.com", customerId: 2001, phone: "+1 415 555 0123"), "wh-erase-1"));
        var id = (await SingleAsync(server.Client, "email", "erase.me@example.com")).GetProperty("id").GetString()!;

        using var first = await server.Client.DeleteAsync("/api/profiles/" + id);
        using var get = await server.Client.GetAsync("/api/profiles/" + id);
        using var export = await server.Client.GetAsync($"/api/profiles/{id}/export");
        using var second = await server.Client.DeleteAsync("/api/profiles/" + id);
        using var unknown = await server.Client.DeleteAsync("/api/profiles/cp-nobody");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await FindAsync(server.Client, "email", "erase.me@example.com"));
        Assert.Empty(await FindAsync(server.Client, "phone", "+14155550123"));
        Assert.Empty(await FindAsync(server.Client, "sourceId", "shopify:fixture:2001"));
    }

    [Fact]
    public async Task EraseProfile_ThroughAMergedAwayId_ErasesTheSurvivor()
    {
        await using var server = await RunningServer.StartAsync(settings: Secrets());
        // Two profiles (one by e-mail online, one by phone at the till) that a third record proves to be one person.
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(6101, "merge.me@example.com", customerId: 2101), "wh-m-1"));
        await ImportPosAsync(server, "merge.csv", PosHeader + "M1,2026-02-01T10:00:00Z,sale,20.00,USD,store-sf,,,(415) 555-0142,,,\n");
        var byEmail = (await SingleAsync(server.Client, "email", "merge.me@example.com")).GetProperty("id").GetString()!;
        var byPhone = (await SingleAsync(server.Client, "phone", "+14155550142")).GetProperty("id").GetString()!;
        Assert.NotEqual(byEmail, byPhone);
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(6102, "merge.me@example.com", customerId: 2101, phone: "+1 415 555 0142"), "wh-m-2"));
        var survivor = await SingleAsync(server.Client, "phone", "+14155550142");
        Assert.Equal(3, survivor.GetProperty("orders").GetInt32());
        var absorbed = new[] { byEmail, byPhone }.Single(i => i != survivor.GetProperty("id").GetString());

        using var erase = await server.Client.DeleteAsync("/api/profiles/" + absorbed);

        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        foreach (var id in new[] { byEmail, byPhone })
        {
            using var get = await server.Client.GetAsync("/api/profiles/" + id);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }

        Assert.Empty(await FindAsync(server.Client, "email", "merge.me@example.com"));
        Assert.Empty(await FindAsync(server.Client, "phone", "+14155550142"));
    }

    [Fact]
    public async Task Export_HoldsOrdersConsentNpsAndLoyalty_FromSignedEvents()
    {
        await using var server = await RunningServer.StartAsync(settings: Secrets());
        const string email = "export.me@example.com";
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(7001, email, customerId: 3001, total: 75m), "wh-x-1"));
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        await AssertOkAsync(await SendEventAsync(server.Client, Event("nps", "n-1", at, "survey-tool", new JsonObject { ["email"] = email }, new JsonObject { ["score"] = 9, ["survey"] = "post-purchase" }), "x-nps"));
        await AssertOkAsync(await SendEventAsync(server.Client, Event("consent", "c-1", at, "crm", new JsonObject { ["email"] = email }, new JsonObject { ["email"] = true, ["sms"] = false }), "x-consent"));
        await AssertOkAsync(await SendEventAsync(server.Client, Event("loyalty", "l-1", at, "loyalty", new JsonObject { ["email"] = email, ["loyaltyId"] = "L-9001" }, new JsonObject { ["program"] = "club", ["tier"] = "gold", ["points"] = 1250 }), "x-loyalty"));
        await AssertOkAsync(await SendEventAsync(server.Client, Event("order", "o-1", at, "crm", new JsonObject { ["email"] = email }, new JsonObject { ["orderId"] = "A-1", ["gross"] = 40, ["currency"] = "USD", ["channel"] = "store" }), "x-order"));
        var id = (await SingleAsync(server.Client, "email", email)).GetProperty("id").GetString()!;

        var export = await ExportAsync(server.Client, id);

        var profile = export.GetProperty("profile");
        Assert.Equal(id, profile.GetProperty("id").GetString());
        Assert.Equal(["crm:order:A-1", "shopify:fixture:order:7001"], profile.GetProperty("orderHistory").EnumerateArray().Select(o => o.GetProperty("orderKey").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(9, profile.GetProperty("nps").GetProperty("score").GetInt32());
        var consent = profile.GetProperty("consent").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("granted").GetBoolean());
        Assert.True(consent["email"]);
        Assert.False(consent["sms"]);
        Assert.Equal("club", profile.GetProperty("loyalty").GetProperty("program").GetString());
        Assert.Equal("gold", profile.GetProperty("loyalty").GetProperty("tier").GetString());
        Assert.Contains("loyalty:L-9001", Strings(profile, "loyaltyIds"));
        Assert.Contains(email, Strings(profile, "emails"));
        Assert.True(export.TryGetProperty("exportedAt", out _));
    }

    [Fact]
    public async Task ShopRedact_RemovesTheShopsOrdersAndIds_ButKeepsTheSamePersonsPosOrders()
    {
        await using var server = await RunningServer.StartAsync(settings: Secrets());
        const string both = "both.channels@example.com";
        const string onlineOnly = "online.only@example.com";
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(8001, both, customerId: 4001, total: 60m), "wh-s-1"));
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(8002, onlineOnly, customerId: 4002, total: 30m), "wh-s-2"));
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(8003, "other.shop@example.com", customerId: 4003, total: 30m), "wh-s-3", shop: "another.myshopify.com"));
        await ImportPosAsync(server, "store-la.csv", PosHeader + "P1,2026-02-01T10:00:00Z,sale,40.00,USD,store-la,C5,Both.Channels@example.com,,,,\n");
        var before = await SingleAsync(server.Client, "email", both);
        Assert.Equal(2, before.GetProperty("orders").GetInt32());

        using var redact = await server.SendShopifyAsync("shop/redact", """{"shop_id":954889,"shop_domain":"fixture.myshopify.com"}""", "wh-shop-redact");

        Assert.Equal(HttpStatusCode.OK, redact.StatusCode);
        var after = await SingleAsync(server.Client, "email", both);
        Assert.Equal(before.GetProperty("id").GetString(), after.GetProperty("id").GetString());
        Assert.Equal(["pos:store-la:tx:P1"], after.GetProperty("orderHistory").EnumerateArray().Select(o => o.GetProperty("orderKey").GetString()));
        Assert.Equal(["pos:generic:C5"], Strings(after, "sourceCustomerIds"));
        Assert.Equal(40m, after.GetProperty("netRevenue").GetDecimal());
        Assert.Empty(await FindAsync(server.Client, "sourceId", "shopify:fixture:4001"));
        Assert.Single(await FindAsync(server.Client, "sourceId", "pos:generic:C5"));
        // Someone the shop alone knew is gone; another shop's customer is untouched.
        Assert.Empty(await FindAsync(server.Client, "email", onlineOnly));
        Assert.Empty(await FindAsync(server.Client, "sourceId", "shopify:fixture:4002"));
        Assert.Single(await FindAsync(server.Client, "sourceId", "shopify:another:4003"));
    }

    [Fact]
    public async Task CustomersDataRequest_Answers200_AndKeepsTheProfile()
    {
        await using var server = await RunningServer.StartAsync(settings: Secrets());
        await AssertOkAsync(await server.SendShopifyAsync("orders/create", ShopifyOrder(9001, "asks@example.com", customerId: 5001, phone: "+1 415 555 0177"), "wh-d-1"));
        var before = await SingleAsync(server.Client, "email", "asks@example.com");

        using var request = await server.SendShopifyAsync("customers/data_request", ShopifyPrivacy(Shop, 5001, "asks@example.com", "+1 415 555 0177", [9001], dataRequest: true), "wh-d-req");

        Assert.Equal(HttpStatusCode.OK, request.StatusCode);
        Assert.Contains("accepted", await request.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await SingleAsync(server.Client, "email", "asks@example.com");
        Assert.Equal(before.GetProperty("id").GetString(), after.GetProperty("id").GetString());
        Assert.Equal(1, after.GetProperty("orders").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/api/profiles/{after.GetProperty("id").GetString()}/export")).StatusCode);
    }

    private static async Task<List<(string Profile, string Kind, string Segment)>> OutboxEventsAsync(RunningServer server)
    {
        var path = Path.Combine(server.DataDir, "outbox", OutboxFileDestination.FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = (await ReadSharedAsync(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. lines.Select(line =>
        {
            using var e = JsonDocument.Parse(line);
            return (e.RootElement.GetProperty("profileId").GetString()!, e.RootElement.GetProperty("kind").GetString()!, e.RootElement.GetProperty("segment").GetString()!);
        })];
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
