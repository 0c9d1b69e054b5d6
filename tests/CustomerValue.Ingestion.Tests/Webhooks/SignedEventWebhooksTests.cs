using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.Events;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class SignedEventWebhooksTests
{
    private static CustomerActivity Parse(string fixture)
    {
        var result = new SignedEventWebhooks().Parse(Fixture.Event(Fixture.Bytes(fixture)));
        Assert.True(result.Succeeded, result.Error);
        return Assert.Single(result.Webhook.Activities);
    }

    private static string? Error(string json) => new SignedEventWebhooks().Parse(Fixture.Event(Fixture.Utf8(json))).Error;

    [Fact]
    public void Nps_ReadsScoreSurveyAndIdentities()
    {
        var result = new SignedEventWebhooks().Parse(Fixture.Event(Fixture.Bytes("Events/nps.json")));
        Assert.Equal(("nps", "survey-tool", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"), (result.Webhook!.Topic, result.Webhook.Source, result.Webhook.DeliveryId));
        var activity = Assert.Single(result.Webhook.Activities);
        Assert.Equal(new NpsAnswer(9, new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero)) { Survey = "post-purchase" }, activity.Nps);
        Assert.True(activity.Nps!.IsPromoter);
        Assert.Equal(["survey-tool:R-5531"], activity.Identities.SourceCustomerIds);
        Assert.Equal("Ada", activity.FirstName);
    }

    [Fact]
    public void Order_ReadsAGenericOrder()
    {
        var activity = Parse("Events/order.json");
        var order = activity.Order!;
        Assert.Equal("crm:order:A-1001", order.OrderKey);
        Assert.Equal((120.50m, 10m, 20.08m, 4.95m, "EUR"), (order.Gross, order.Discounts, order.Tax, order.Shipping, order.Currency));
        Assert.Equal(SalesChannel.Store, order.Channel);
        Assert.Equal("pos", order.Device);
        Assert.Equal("newsletter/email", order.AcquisitionChannel);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 26, 0, TimeSpan.Zero), order.VersionAt);
        Assert.Equal(["loyalty:L-778"], activity.Identities.LoyaltyIds);
    }

    [Fact]
    public void Consent_ReadsEachChannelNamed()
    {
        var consents = Parse("Events/consent.json").Consents!;
        Assert.Equal(
            [(ConsentChannel.Email, true), (ConsentChannel.Sms, false), (ConsentChannel.Ads, true)],
            consents.Select(c => (c.Channel, c.Granted)));
        Assert.All(consents, c => Assert.Equal(new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero), c.ChangedAt));
    }

    [Fact]
    public void Loyalty_ReadsProgramTierAndPoints()
    {
        var activity = Parse("Events/loyalty.json");
        Assert.Equal(("club", true, "gold", 1250m), (activity.Loyalty!.Program, activity.Loyalty.IsActive, activity.Loyalty.Tier, activity.Loyalty.Points));
        Assert.Equal(["loyalty:L-778"], activity.Identities.LoyaltyIds);
    }

    [Fact]
    public void Touch_ReadsChannelAndDevice()
    {
        var touch = Parse("Events/touch.json").Touch!;
        Assert.Equal((EngagementChannel.Email, "click", "mobile", "spring-sale"), (touch.Channel, touch.Action, touch.Device, touch.Campaign));
    }

    [Fact]
    public void Customer_NeedsNoData()
    {
        var activity = Parse("Events/customer.json");
        Assert.Null(activity.Order);
        Assert.Equal(["crm:C-1042"], activity.Identities.SourceCustomerIds);
        Assert.Equal(["ada@example.com"], activity.Identities.Emails);
    }

    [Theory]
    [InlineData("11")]
    [InlineData("-1")]
    [InlineData("7.5")]
    [InlineData("\"9\"")]
    public void Nps_ScoreOutsideZeroToTen_Fails(string score) =>
        Assert.Equal(
            "events nps: data.score must be a whole number from 0 to 10.",
            Error($$$"""{"type":"nps","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"email":"a@example.com"},"data":{"score":{{{score}}}}}"""));

    [Theory]
    [InlineData("""{"type":"refund","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"email":"a@example.com"},"data":{}}""", "events: type 'refund' is not supported")]
    [InlineData("""{"type":"nps","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"firstName":"Nobody"},"data":{"score":1}}""", "events nps: 'customer' must carry at least one of")]
    [InlineData("""{"type":"consent","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"email":"a@example.com"},"data":{}}""", "events consent: data must set at least one of")]
    [InlineData("""{"type":"touch","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"email":"a@example.com"},"data":{"channel":"tv"}}""", "events touch: data.channel must be")]
    [InlineData("""{"type":"order","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"crm","customer":{"email":"a@example.com"},"data":{"orderId":"1","currency":"EUR","gross":-5}}""", "events order: field 'data.gross' must not be negative")]
    [InlineData("""{"type":"nps","id":"e1","source":"crm","customer":{"email":"a@example.com"},"data":{"score":1}}""", "events nps: required field 'occurredAt'")]
    [InlineData("""{"type":"nps","id":"e1","occurredAt":"2025-03-14T09:00:00Z","source":"c r m","customer":{"email":"a@example.com"},"data":{"score":1}}""", "events nps: field 'source' may hold only")]
    public void InvalidEvent_FailsWithAMessageNamingTheProblem(string json, string expectedStart)
    {
        var error = Error(json);
        Assert.NotNull(error);
        Assert.StartsWith(expectedStart, error, StringComparison.Ordinal);
        Assert.DoesNotContain("a@example.com", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingWebhookId_Fails()
    {
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"));
        var headers = request.Headers.Where(h => h.Key != "webhook-id").ToDictionary(StringComparer.OrdinalIgnoreCase);
        Assert.Equal("events: header webhook-id is missing.", new SignedEventWebhooks().Parse(request with { Headers = headers }).Error);
    }
}
