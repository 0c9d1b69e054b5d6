using System.Globalization;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.Events;
using CustomerValue.Ingestion.Webhooks.Shopify;
using CustomerValue.Ingestion.Webhooks.WooCommerce;

namespace CustomerValue.Ingestion.Tests.Webhooks;

public sealed class WebhookSignaturesTests
{
    private static readonly byte[] ShopifyBody = Fixture.Bytes("Shopify/orders-create-multi-currency.json");

    [Fact]
    public void Shopify_SignedWithAppSecret_IsValid() =>
        Assert.Equal(SignatureCheck.Valid, new ShopifyWebhooks().Verify(Fixture.Shopify("orders/create", ShopifyBody), Fixture.Secrets));

    [Fact]
    public void Shopify_SignedWithOtherSecret_IsInvalid() =>
        Assert.Equal(SignatureCheck.Invalid, new ShopifyWebhooks().Verify(Fixture.Shopify("orders/create", ShopifyBody, "forged"), Fixture.Secrets));

    [Fact]
    public void Shopify_BodyChangedAfterSigning_IsInvalid()
    {
        var request = Fixture.Shopify("orders/create", ShopifyBody);
        var tampered = request with { Body = ShopifyBody.Append((byte)' ').ToArray() };
        Assert.Equal(SignatureCheck.Invalid, new ShopifyWebhooks().Verify(tampered, Fixture.Secrets));
    }

    [Fact]
    public void Shopify_WithoutHmacHeader_IsMissing() =>
        Assert.Equal(SignatureCheck.Missing, new ShopifyWebhooks().Verify(Fixture.Shopify("orders/create", ShopifyBody, secret: null), Fixture.Secrets));

    [Fact]
    public void Shopify_HmacThatIsNotBase64_IsInvalid()
    {
        var request = Fixture.Shopify("orders/create", ShopifyBody);
        var headers = new Dictionary<string, string>(request.Headers) { ["X-Shopify-Hmac-Sha256"] = "%%% not base64 ü" };
        Assert.Equal(SignatureCheck.Invalid, new ShopifyWebhooks().Verify(request with { Headers = headers }, Fixture.Secrets));
    }

    [Fact]
    public void Shopify_ShopWithOwnSecret_UsesTheOverride()
    {
        var secrets = Fixture.Secrets;
        secrets.Shopify.Sources["OTHER-shop.myshopify.com"] = "other-secret";
        var request = Fixture.Shopify("orders/create", ShopifyBody, "other-secret", shop: "other-shop.myshopify.com");
        Assert.Equal(SignatureCheck.Valid, new ShopifyWebhooks().Verify(request, secrets));
        Assert.Equal(SignatureCheck.Invalid, new ShopifyWebhooks().Verify(Fixture.Shopify("orders/create", ShopifyBody, shop: "other-shop.myshopify.com"), secrets));
    }

    [Fact]
    public void Shopify_NoSecretConfigured_IsNotConfigured() =>
        Assert.Equal(SignatureCheck.NotConfigured, new ShopifyWebhooks().Verify(Fixture.Shopify("orders/create", ShopifyBody), new WebhookSecrets()));

    [Fact]
    public void WooCommerce_SignedBody_IsValid_AndForgedOrMissingIsNot()
    {
        var body = Fixture.Bytes("WooCommerce/order-created.json");
        var platform = new WooCommerceWebhooks();
        Assert.Equal(SignatureCheck.Valid, platform.Verify(Fixture.Woo("order.created", body), Fixture.Secrets));
        Assert.Equal(SignatureCheck.Invalid, platform.Verify(Fixture.Woo("order.created", body, "forged"), Fixture.Secrets));
        Assert.Equal(SignatureCheck.Missing, platform.Verify(Fixture.Woo("order.created", body, secret: null), Fixture.Secrets));
    }

    [Fact]
    public void WooCommerce_UnsignedPing_IsAcceptedButUnsignedDataIsNot()
    {
        var platform = new WooCommerceWebhooks();
        var ping = WebhookRequest.Create("woocommerce", [], Fixture.Utf8("webhook_id=12"), Fixture.Now);
        Assert.Equal(SignatureCheck.Valid, platform.Verify(ping, Fixture.Secrets));

        var notAPing = WebhookRequest.Create("woocommerce", [], Fixture.Utf8("webhook_id=12&total=5"), Fixture.Now);
        Assert.Equal(SignatureCheck.Missing, platform.Verify(notAPing, Fixture.Secrets));
    }

    [Theory]
    [InlineData(Fixture.EventsSecret)]
    [InlineData("a plain secret without the prefix")]
    public void StandardWebhook_SignedNow_IsValid(string secret)
    {
        var secrets = new WebhookSecrets { Events = new WebhookSecret { Secret = secret } };
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"), secret);
        Assert.Equal(SignatureCheck.Valid, new SignedEventWebhooks().Verify(request, secrets));
    }

    [Fact]
    public void StandardWebhook_MatchesTheSpecificationsExample()
    {
        // The example of the Standard Webhooks specification and its reference libraries.
        var body = Fixture.Utf8("{\"test\": 2432232314}");
        var check = WebhookSignatures.VerifyStandardWebhook(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "1614265330",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            body,
            DateTimeOffset.FromUnixTimeSeconds(1614265330));
        Assert.Equal(SignatureCheck.Valid, check);
    }

    [Fact]
    public void StandardWebhook_OneOfSeveralSignaturesMatches_IsValid()
    {
        var body = Fixture.Bytes("Events/nps.json");
        var request = Fixture.Event(body);
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-signature"] = "v1a,aGVsbG8= v1,Zm9yZ2VkIHNpZ25hdHVyZQ== " + request.Header("webhook-signature"),
        };
        Assert.Equal(SignatureCheck.Valid, new SignedEventWebhooks().Verify(request with { Headers = headers }, Fixture.Secrets));
    }

    [Fact]
    public void StandardWebhook_SignedWithOtherKey_IsInvalid() =>
        Assert.Equal(
            SignatureCheck.Invalid,
            new SignedEventWebhooks().Verify(Fixture.Event(Fixture.Bytes("Events/nps.json"), "whsec_QUJDREVGR0hJSktMTU5PUA=="), Fixture.Secrets));

    [Fact]
    public void StandardWebhook_SignatureForOtherMessageId_IsInvalid()
    {
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"));
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { ["webhook-id"] = "msg_replayed_under_new_id" };
        Assert.Equal(SignatureCheck.Invalid, new SignedEventWebhooks().Verify(request with { Headers = headers }, Fixture.Secrets));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void StandardWebhook_TimestampMoreThanFiveMinutesAway_IsExpired(int seconds)
    {
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"), sentAt: Fixture.Now.AddSeconds(seconds));
        Assert.Equal(SignatureCheck.Expired, new SignedEventWebhooks().Verify(request, Fixture.Secrets));
    }

    [Fact]
    public void StandardWebhook_TimestampWithinFiveMinutes_IsValid()
    {
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"), sentAt: Fixture.Now.AddSeconds(-299));
        Assert.Equal(SignatureCheck.Valid, new SignedEventWebhooks().Verify(request, Fixture.Secrets));
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void StandardWebhook_HeaderAbsent_IsMissing(string header)
    {
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"));
        var headers = request.Headers.Where(h => h.Key != header).ToDictionary(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(SignatureCheck.Missing, new SignedEventWebhooks().Verify(request with { Headers = headers }, Fixture.Secrets));
    }

    [Fact]
    public void StandardWebhook_TimestampNotANumber_IsInvalid()
    {
        var request = Fixture.Event(Fixture.Bytes("Events/nps.json"));
        var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-timestamp"] = Fixture.Now.ToString("O", CultureInfo.InvariantCulture),
        };
        Assert.Equal(SignatureCheck.Invalid, new SignedEventWebhooks().Verify(request with { Headers = headers }, Fixture.Secrets));
    }

    [Fact]
    public void StandardWebhook_SourceWithOwnSecret_UsesTheOverride()
    {
        var secrets = Fixture.Secrets;
        secrets.Events.Sources["survey-tool"] = "whsec_QUJDREVGR0hJSktMTU5PUA==";
        var body = Fixture.Bytes("Events/nps.json");
        Assert.Equal(SignatureCheck.Valid, new SignedEventWebhooks().Verify(Fixture.Event(body, "whsec_QUJDREVGR0hJSktMTU5PUA=="), secrets));
        Assert.Equal(SignatureCheck.Invalid, new SignedEventWebhooks().Verify(Fixture.Event(body), secrets));
    }
}
