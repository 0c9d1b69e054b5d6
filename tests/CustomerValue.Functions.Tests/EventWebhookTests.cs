using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Functions.Tests.Support;
using static CustomerValue.Functions.Tests.Support.EndToEnd;

namespace CustomerValue.Functions.Tests;

/// <summary><c>POST api/webhooks/events</c>: Standard Webhooks signed generic events, over HTTP against the real server.</summary>
public sealed class EventWebhookTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(settings: Secrets());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task NpsLoyaltyConsentAndTouch_LandOnTheProfile()
    {
        const string email = "signals@example.com";
        var customer = () => new JsonObject { ["email"] = email, ["sourceId"] = "C-1042" };

        await AssertOkAsync(await SendEventAsync(_server.Client, Event("nps", "e-nps", At, "crm", customer(), new JsonObject { ["score"] = 9, ["survey"] = "post-purchase" }), "wh-nps"));
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("consent", "e-con", At, "crm", customer(), new JsonObject { ["email"] = true, ["ads"] = false }), "wh-con"));
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("loyalty", "e-loy", At, "crm", customer(), new JsonObject { ["program"] = "club", ["status"] = "active", ["tier"] = "silver", ["points"] = 300 }), "wh-loy"));
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("touch", "e-tch", At.AddHours(1), "crm", customer(), new JsonObject { ["channel"] = "app", ["action"] = "open", ["device"] = "ios" }), "wh-tch"));

        var profile = await SingleAsync(_server.Client, "email", email);
        Assert.Equal(profile.GetProperty("id").GetString(), (await SingleAsync(_server.Client, "sourceId", "crm:C-1042")).GetProperty("id").GetString());
        Assert.Equal(9, profile.GetProperty("nps").GetProperty("score").GetInt32());
        Assert.Equal("post-purchase", profile.GetProperty("nps").GetProperty("survey").GetString());
        Assert.Equal(new Dictionary<string, bool> { ["ads"] = false, ["email"] = true }, Consent(profile));
        var loyalty = profile.GetProperty("loyalty");
        Assert.Equal("club", loyalty.GetProperty("program").GetString());
        Assert.True(loyalty.GetProperty("isActive").GetBoolean());
        Assert.Equal("silver", loyalty.GetProperty("tier").GetString());
        Assert.Equal(300m, loyalty.GetProperty("points").GetDecimal());
        var engagement = profile.GetProperty("engagement");
        Assert.Equal(["app"], Strings(engagement, "channels"));
        Assert.Equal(["ios"], Strings(engagement, "devices"));
        Assert.Equal(At.AddHours(1), engagement.GetProperty("lastTouchAt").GetDateTimeOffset());
        Assert.Equal(0, profile.GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task ConsentRevokedWithAnOlderTimestamp_ArrivingLater_KeepsTheNewestDecision()
    {
        const string email = "consent@example.com";
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("consent", "c-new", At.AddDays(1), "crm", new JsonObject { ["email"] = email }, new JsonObject { ["email"] = true }), "wh-c-new"));

        using var late = await SendEventAsync(_server.Client, Event("consent", "c-old", At, "crm", new JsonObject { ["email"] = email }, new JsonObject { ["email"] = false }), "wh-c-old");

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var profile = await SingleAsync(_server.Client, "email", email);
        var consent = Assert.Single(profile.GetProperty("consent").EnumerateArray());
        Assert.True(consent.GetProperty("granted").GetBoolean());
        Assert.Equal(At.AddDays(1), consent.GetProperty("changedAt").GetDateTimeOffset());

        // A newer withdrawal does win.
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("consent", "c-newest", At.AddDays(2), "crm", new JsonObject { ["email"] = email }, new JsonObject { ["email"] = false }), "wh-c-newest"));
        Assert.False(Consent(await SingleAsync(_server.Client, "email", email))["email"]);
    }

    [Fact]
    public async Task OlderNpsAndLoyaltyArrivingLater_DoNotRollBack()
    {
        const string email = "latest.wins@example.com";
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("nps", "n2", At.AddDays(1), "crm", new JsonObject { ["email"] = email }, new JsonObject { ["score"] = 3 }), "wh-n2"));
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("nps", "n1", At, "crm", new JsonObject { ["email"] = email }, new JsonObject { ["score"] = 10 }), "wh-n1"));
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("loyalty", "l2", At.AddDays(1), "crm", new JsonObject { ["email"] = email }, new JsonObject { ["program"] = "club", ["status"] = "inactive" }), "wh-l2"));
        await AssertOkAsync(await SendEventAsync(_server.Client, Event("loyalty", "l1", At, "crm", new JsonObject { ["email"] = email }, new JsonObject { ["program"] = "club", ["status"] = "active", ["tier"] = "gold" }), "wh-l1"));

        var profile = await SingleAsync(_server.Client, "email", email);
        Assert.Equal(3, profile.GetProperty("nps").GetProperty("score").GetInt32());
        Assert.False(profile.GetProperty("loyalty").GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public async Task RepeatedWebhookId_IsADuplicate()
    {
        var body = Event("nps", "dup", At, "crm", new JsonObject { ["email"] = "dup@example.com" }, new JsonObject { ["score"] = 7 });
        await AssertOkAsync(await SendEventAsync(_server.Client, body, "wh-dup"));

        var retry = await AssertOkAsync(await SendEventAsync(_server.Client, body, "wh-dup"));

        Assert.Contains("duplicate", retry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimestampSixMinutesOld_Gets401_AndNothingIsProcessed()
    {
        var body = Event("nps", "old", At, "crm", new JsonObject { ["email"] = "expired@example.com" }, new JsonObject { ["score"] = 9 });

        using var response = await SendEventAsync(_server.Client, body, "wh-old", sentAt: DateTimeOffset.UtcNow.AddMinutes(-6));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await FindAsync(_server.Client, "email", "expired@example.com"));
    }

    [Fact]
    public async Task WrongSecret_Gets401_AndNothingIsProcessed()
    {
        var body = Event("nps", "forged", At, "crm", new JsonObject { ["email"] = "forged@example.com" }, new JsonObject { ["score"] = 9 });
        var wrong = "whsec_" + Convert.ToBase64String("not-the-configured-key-000000000"u8.ToArray());

        using var response = await SendEventAsync(_server.Client, body, "wh-forged", secret: wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await FindAsync(_server.Client, "email", "forged@example.com"));
    }

    [Fact]
    public async Task MalformedJson_Gets400()
    {
        using var response = await SendEventAsync(_server.Client, """{"type":"nps","id":"x","customer":{"email":"broken@example.com"}, """, "wh-broken");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("JSON", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("broken@example.com", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("8.5")]
    [InlineData("\"9\"")]
    public async Task NpsScoreOutsideZeroToTen_Gets400NamingTheField(string score)
    {
        var body = $$$"""{"type":"nps","id":"n","occurredAt":"2026-03-14T09:00:00Z","source":"crm","customer":{"email":"nps.bad@example.com"},"data":{"score":{{{score}}}}}""";

        using var response = await SendEventAsync(_server.Client, body, "wh-nps-" + score);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data.score", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await FindAsync(_server.Client, "email", "nps.bad@example.com"));
    }

    [Fact]
    public async Task OverlongSourceId_IsAcceptedAndFindsItsProfile()
    {
        // Lookup ids are hashes of the identity, so an id longer than a document id may be (255) is still matchable.
        var body = Event("customer", "long", At, "crm", new JsonObject { ["sourceId"] = new string('7', 300) });

        using var response = await SendEventAsync(_server.Client, body, "wh-long");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var found = await _server.Client.GetAsync("/api/profiles?sourceId=" + Uri.EscapeDataString("crm:" + new string('7', 300)));
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
    }

    private static Dictionary<string, bool> Consent(JsonElement profile) =>
        profile.GetProperty("consent").EnumerateArray().ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("granted").GetBoolean());
}
