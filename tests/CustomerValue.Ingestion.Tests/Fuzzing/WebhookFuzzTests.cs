using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.Webhooks;
using CustomerValue.Ingestion.Webhooks.Events;
using CustomerValue.Ingestion.Webhooks.Shopify;
using CustomerValue.Ingestion.Webhooks.WooCommerce;
using FsCheck;
using FsCheck.Fluent;

namespace CustomerValue.Ingestion.Tests.Fuzzing;

/// <summary>
/// Property-based fuzzing of the three webhook parsers: 10,000 correctly signed but mutated bodies per platform
/// (<see cref="JsonMutator"/>). Whatever arrives, the signature check and the parser never throw (a throw is a 500),
/// a refusal says what is wrong without repeating personal data, and an accepted order carries only amounts the
/// store can add up: finite, not negative, at most <see cref="OrderAmounts.MaxPerOrder"/>.
/// </summary>
public sealed class WebhookFuzzTests
{
    private const int BodiesPerPlatform = 10_000;
    private static readonly string[] EventFixtures = ["order", "customer", "consent", "loyalty", "nps", "touch"];

    public static TheoryData<string> Platforms => ["shopify", "woocommerce", "events"];

    [Theory]
    [MemberData(nameof(Platforms))]
    public void MutatedSignedBodies_AreReadOrRefused_NeverThrow(string platform)
    {
        var (parser, samples) = Setup(platform);
        var mutation = from kind in Gen.Choose(0, JsonMutation.Kinds - 1)
                       from target in Gen.Choose(0, 5_000)
                       from value in Gen.Choose(0, 1_000)
                       select new JsonMutation(kind, target, value);
        var cases = from sample in Gen.Choose(0, samples.Count - 1)
                    from count in Gen.Choose(1, 4)
                    from edits in Gen.ArrayOf(mutation, count)
                    select (Sample: sample, Edits: edits);

        int read = 0, refused = 0;
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (topic, body) = samples[c.Sample];
            var request = Sign(platform, topic, JsonMutator.Apply(body, c.Edits));
            _ = Check(parser, request, platform, c.Edits) ? read++ : refused++;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(BodiesPerPlatform).WithQuietOnSuccess(true));

        // The generator must exercise both paths, or the property proves little.
        Assert.True(read > BodiesPerPlatform / 20 && refused > BodiesPerPlatform / 20, $"{read} read, {refused} refused");
    }

    /// <summary>Checks one delivery; true when it was read, false when refused.</summary>
    private static bool Check(IWebhookPlatform parser, WebhookRequest request, string platform, JsonMutation[] edits)
    {
        string what = $"{platform} with [{string.Join(", ", edits.Select(e => e.ToString()))}]";
        Assert.Equal(SignatureCheck.Valid, parser.Verify(request, Fixture.Secrets));
        var result = parser.Parse(request);
        if (!result.Succeeded)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error), what);
            Assert.DoesNotContain("@example.", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("someone@", result.Error, StringComparison.Ordinal);
            return false;
        }

        foreach (var order in result.Webhook.Activities.Select(a => a.Order).OfType<OrderRecord>())
        {
            foreach (var (name, amount) in new[] { ("gross", order.Gross), ("discounts", order.Discounts), ("tax", order.Tax), ("shipping", order.Shipping), ("refunded", order.Refunded) })
            {
                Assert.True(amount is >= 0 and <= OrderAmounts.MaxPerOrder, $"{name} {amount} accepted from {what}");
            }

            Assert.False(string.IsNullOrWhiteSpace(order.OrderKey), what);
        }

        return true;
    }

    private static (IWebhookPlatform Parser, List<(string Topic, byte[] Body)> Samples) Setup(string platform) => platform switch
    {
        "shopify" => (new ShopifyWebhooks(),
        [
            ("orders/create", Fixture.Bytes("Shopify/orders-create-multi-currency.json")),
            ("orders/cancelled", Fixture.Bytes("Shopify/orders-cancelled-pos.json")),
            ("orders/updated", Fixture.Bytes("Shopify/orders-updated-refunded.json")),
            ("refunds/create", Fixture.Bytes("Shopify/refunds-create.json")),
            ("customers/update", Fixture.Bytes("Shopify/customers-update.json")),
            ("customers/redact", Fixture.Bytes("Shopify/customers-redact.json")),
        ]),
        "woocommerce" => (new WooCommerceWebhooks(),
        [
            ("order.created", Fixture.Bytes("WooCommerce/order-created.json")),
            ("order.updated", Fixture.Bytes("WooCommerce/order-updated-partially-refunded.json")),
            ("order.deleted", Fixture.Bytes("WooCommerce/order-deleted.json")),
            ("customer.created", Fixture.Bytes("WooCommerce/customer-created.json")),
        ]),
        _ => (new SignedEventWebhooks(),
        [.. EventFixtures.Select(n => (n, Fixture.Bytes($"Events/{n}.json")))]),
    };

    private static WebhookRequest Sign(string platform, string topic, byte[] body) => platform switch
    {
        "shopify" => Fixture.Shopify(topic, body),
        "woocommerce" => Fixture.Woo(topic, body),
        _ => Fixture.Event(body),
    };
}
