using CustomerValue.Models.Simulation;

namespace CustomerValue.Cli.Demo;

/// <summary>
/// Generates the demo shop's customers. Purchase timing and spend come from the BG/NBD + Gamma-Gamma generative
/// model (<see cref="CustomerBaseSimulator"/>, daily parameters); everything around them — names, contact data,
/// channels, returns, acquisition channels — is drawn to look like a small omnichannel retailer. Deterministic
/// for a seed.
/// </summary>
public static class DemoShopGenerator
{
    /// <summary>The stores whose POS systems export CSV files.</summary>
    public static IReadOnlyList<string> Stores { get; } = ["store-nyc", "store-sf", "store-chicago"];

    private static readonly string[] FirstNames = ["Ava", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sophia", "Lucas", "Mia", "Ethan", "Amelia", "James", "Harper", "Leo", "Chloe", "Aiden", "Zoe", "Elijah", "Nora", "Kai", "Maya", "Omar", "Priya", "Hiro", "Lena", "Diego", "Fatima", "Jonas", "Aria", "Samir"];
    private static readonly string[] LastNames = ["Smith", "Johnson", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Thomas", "Lee", "Walker", "Young", "King", "Wright", "Nguyen", "Patel", "Kim", "Chen", "Rossi", "Novak", "Schmidt", "Okafor", "Silva", "Cohen", "Haddad"];
    private static readonly string[] Domains = ["example.com", "example.org", "example.net"];
    private static readonly string[] AreaCodes = ["212", "415", "312", "617", "206", "512", "303", "718"];
    private static readonly (string Channel, double Weight)[] AcquisitionChannels =
        [("google/cpc", 0.28), ("google/organic", 0.2), ("facebook/paid_social", 0.16), ("instagram/social", 0.1), ("newsletter/email", 0.1), ("referral/partner", 0.06), ("direct/none", 0.1)];

    /// <summary>Generates <paramref name="customers"/> people buying over <paramref name="days"/> days up to <paramref name="end"/>.</summary>
    public static IReadOnlyList<DemoPerson> Generate(int customers, int days, DateTimeOffset end, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(customers);
        var random = new Random(seed);
        var start = end.AddDays(-days);
        var simulated = CustomerBaseSimulator.Simulate(customers, days, GenerativeParameters.ShopInDays, new Random(seed + 1));
        var people = new List<DemoPerson>(customers);
        foreach (var customer in simulated)
        {
            people.Add(Person(customer, start, end, random));
        }

        return people;
    }

    private static DemoPerson Person(SimulatedCustomer customer, DateTimeOffset start, DateTimeOffset end, Random random)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var email = $"{first}.{last}{customer.Index}@{Domains[random.Next(Domains.Length)]}".ToLowerInvariant();
        var phone = $"+1{AreaCodes[random.Next(AreaCodes.Length)]}{random.Next(2, 10)}{random.Next(0, 100):00}{random.Next(0, 10000):0000}";
        var roll = random.NextDouble();
        var habit = roll < 0.5 ? ShoppingHabit.OnlineOnly : roll < 0.75 ? ShoppingHabit.StoreOnly : ShoppingHabit.Omnichannel;
        var usesApp = random.NextDouble() < 0.3;
        var purchases = new List<DemoPurchase>(customer.Purchases.Count);
        foreach (var purchase in customer.Purchases)
        {
            var at = start.AddDays(purchase.Time).AddMinutes(random.Next(9 * 60, 20 * 60) - 12 * 60);
            if (at > end)
            {
                at = end.AddMinutes(-random.Next(1, 120));
            }

            var inStore = habit == ShoppingHabit.StoreOnly || (habit == ShoppingHabit.Omnichannel && random.NextDouble() < 0.45);
            var returned = random.NextDouble() switch
            {
                < 0.06 => 1m,
                < 0.12 => 0.3m + (decimal)random.Next(0, 40) / 100m,
                _ => 0m,
            };
            var returnedAt = at.AddDays(random.Next(3, 25));
            if (returnedAt > end)
            {
                returned = 0m;
            }

            var cancelled = !inStore && returned == 0m && random.NextDouble() < 0.03;
            var amount = decimal.Round((decimal)Math.Max(purchase.Amount, 3.5), 2);
            purchases.Add(new DemoPurchase(at, amount, inStore, !inStore && usesApp && random.NextDouble() < 0.8, returned, returnedAt, cancelled));
        }

        return new DemoPerson(
            customer.Index, first, last, email, phone, habit,
            DemoShopGenerator.Stores[random.Next(DemoShopGenerator.Stores.Count)],
            Pick(AcquisitionChannels, random),
            7_000_000_000L + customer.Index,
            habit != ShoppingHabit.OnlineOnly && random.NextDouble() < 0.4 ? $"L{100000 + customer.Index}" : null,
            purchases);
    }

    private static string Pick((string Channel, double Weight)[] choices, Random random)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (channel, weight) in choices)
        {
            roll -= weight;
            if (roll <= 0)
            {
                return channel;
            }
        }

        return choices[^1].Channel;
    }
}
