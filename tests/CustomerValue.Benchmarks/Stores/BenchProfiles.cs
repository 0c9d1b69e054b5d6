using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Cli.Demo;
using CustomerValue.Identity.Resolution;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>
/// The recompute's input: the demo shop's customers (<see cref="DemoShopGenerator"/>, purchases drawn from the
/// BG/NBD + Gamma-Gamma generative model over two years up to today) as the profiles ingestion would have built for
/// them — ids, e-mail, phone, Shopify and loyalty ids, names, every order with its channel, device, refunds and
/// cancellation, engagement — but never scored: <see cref="CustomerProfile.Value"/> is empty, as before a first
/// recompute. Written straight to the store, so that loading 100,000 of them takes seconds, not an ingestion run.
/// </summary>
internal static class BenchProfiles
{
    private const int Days = 730;
    private const string ShopHandle = "demo-outfitters";

    /// <summary>
    /// Generates <paramref name="count"/> profiles, deterministic for a seed and a day. Shops generated in chunks pass a
    /// <paramref name="chunk"/> number, which keeps profile ids unique across chunks.
    /// </summary>
    public static IReadOnlyList<CustomerProfile> Generate(int count, int seed, int? chunk = null)
    {
        // Up to today, not a fixed date: the recompute values customers as of now, so the history has to end now too.
        var end = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        return [.. DemoShopGenerator.Generate(count, Days, end, seed).Select(p => Profile(p, chunk is { } c ? $"-{c}" : ""))];
    }

    private static CustomerProfile Profile(DemoPerson person, string idSuffix)
    {
        var orders = person.Purchases.Select((purchase, number) => Order(person, purchase, number)).ToList();
        var first = person.Purchases.Count == 0 ? DateTimeOffset.UtcNow : person.Purchases.Min(p => p.At);
        var last = person.Purchases.Count == 0 ? first : person.Purchases.Max(p => p.Returned > 0m ? p.ReturnedAt : p.At);
        var online = person.Habit != ShoppingHabit.StoreOnly;
        return new CustomerProfile
        {
            Id = ProfileResolver.NewProfileId(new IdentityKey(IdentityKind.Email, person.Email).LookupId) + idSuffix,
            SourceCustomerIds = online ? [$"shopify:{ShopHandle}:{person.ShopifyCustomerId}"] : [],
            Emails = [person.Email],
            Phones = [person.Phone],
            LoyaltyIds = person.LoyaltyId is null ? [] : [person.LoyaltyId],
            FirstName = person.FirstName,
            LastName = person.LastName,
            FirstNameAt = first,
            LastNameAt = first,
            OrderTotals = OrderTotals.Of(orders),
            Engagement = new CustomerEngagement
            {
                Channels = [.. orders.Where(o => o.IsPurchase).Select(o => o.Channel switch
                {
                    SalesChannel.Store => EngagementChannel.Store,
                    SalesChannel.App => EngagementChannel.App,
                    _ => EngagementChannel.Web,
                }).Distinct().Order()],
                Devices = [.. orders.Where(o => o.Device is not null).Select(o => o.Device!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                LastTouchAt = last,
            },
            CreatedAt = first,
            UpdatedAt = last,
        };
    }

    private static OrderRecord Order(DemoPerson person, DemoPurchase purchase, int number)
    {
        var refunded = decimal.Round(purchase.Amount * purchase.Returned, 2);
        var tax = decimal.Round(purchase.Amount * 0.08m / 1.08m, 2);
        var key = purchase.InStore
            ? $"pos:{person.HomeStore}:tx:{person.Index}-{number}"
            : $"shopify:{ShopHandle}:order:{5_000_000_000L + (person.Index * 100L) + number}";
        return new OrderRecord
        {
            OrderKey = key,
            PlacedAt = purchase.At,
            VersionAt = refunded > 0m ? purchase.ReturnedAt : purchase.At,
            Gross = purchase.Amount,
            Tax = tax,
            Shipping = purchase.InStore ? 0m : 4.95m,
            Refunded = refunded,
            Refunds = refunded > 0m ? [new OrderRefund($"{key}:refund:1", refunded, purchase.ReturnedAt)] : null,
            Channel = purchase.InStore ? SalesChannel.Store : purchase.ViaApp ? SalesChannel.App : SalesChannel.Online,
            Device = purchase.InStore ? "pos" : purchase.ViaApp ? "mobile" : (person.Index + number) % 3 == 0 ? "mobile" : "desktop",
            Cancelled = purchase.Cancelled,
            AcquisitionChannel = number == 0 ? person.AcquisitionChannel : null,
            StoreId = purchase.InStore ? person.HomeStore : null,
        };
    }
}
