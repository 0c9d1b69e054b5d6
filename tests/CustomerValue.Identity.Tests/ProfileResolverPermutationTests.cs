using CustomerValue.Storage.Documents;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Testing;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Identity.Tests;

/// <summary>
/// Property: whatever order the records of a shop arrive in, identity resolution ends with the same people —
/// the same partition of identities into live profiles (the connected components of "appeared on one record"),
/// each holding the same orders. Profile ids may differ; everything is compared modulo ids.
/// </summary>
public sealed class ProfileResolverPermutationTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 60; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Apply_InAnyOrder_YieldsTheSamePeopleWithTheSameOrders(int seed)
    {
        var random = new Random(seed);
        var scenario = Scenario.Generate(random);

        var reference = await ResolveAsync(scenario.Records);
        Assert.Equal(scenario.ExpectedPeople(), reference);

        for (var permutation = 0; permutation < 2; permutation++)
        {
            var shuffled = scenario.Records.ToArray();
            random.Shuffle(shuffled);
            Assert.Equal(reference, await ResolveAsync(shuffled));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Apply_AllAtOnceInParallel_YieldsTheSamePeopleWithTheSameOrders(int seed)
    {
        var scenario = Scenario.Generate(new Random(seed));

        await using var p = await ResolverHarness.CreateAsync();
        await Task.WhenAll(scenario.Records.Select(r => Task.Run(() => p.ApplyKnownAsync(r))));

        Assert.Equal(scenario.ExpectedPeople(), await DescribeAsync(p));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ApplyInBatches_YieldsTheSamePeople_LinksEveryOrder_AndAgainChangesNothing(int seed)
    {
        var random = new Random(seed);
        var scenario = Scenario.Generate(random);
        await using var p = await ResolverHarness.CreateAsync();
        var applier = new ProfileBatchApplier(p.Resolver, p.Normalizer);
        var records = scenario.Records.ToArray();
        random.Shuffle(records);

        for (var start = 0; start < records.Length;)
        {
            var size = random.Next(1, 8);
            var outcomes = await applier.ApplyAsync(records[start..Math.Min(records.Length, start + size)], parallelism: 4);
            Assert.DoesNotContain(RecordOutcome.Anonymous, outcomes);
            start += size;
        }

        Assert.Equal(scenario.ExpectedPeople(), await DescribeAsync(p));
        foreach (var orderKey in records.Select(r => r.Order?.OrderKey).OfType<string>().Distinct())
        {
            // Records that later name only the order (a refund on its own) must find the profile holding it.
            var holder = await p.Queries.FindByOrderAsync(orderKey);
            Assert.Contains(await p.OrdersAsync(holder!.Id), o => o.OrderKey == orderKey);
        }

        var again = await applier.ApplyAsync(records, parallelism: 4);
        Assert.All(again, o => Assert.Equal(RecordOutcome.Unchanged, o));
        Assert.Equal(scenario.ExpectedPeople(), await DescribeAsync(p));
    }

    /// <summary>Applies the records in order; returns each live profile as "identities | order keys", sorted.</summary>
    private static async Task<List<string>> ResolveAsync(IEnumerable<CustomerActivity> records)
    {
        await using var p = await ResolverHarness.CreateAsync();
        foreach (var record in records)
        {
            await p.ApplyKnownAsync(record);
        }

        return await DescribeAsync(p);
    }

    /// <summary>Totals as JSON with decimal trailing zeros dropped (10.50 and 10.5 are the same amount).</summary>
    private static string Comparable(OrderTotals totals) => Normalize(System.Text.Json.Nodes.JsonNode.Parse(DocumentJson.Serialize(totals)))!.ToJsonString();

    private static System.Text.Json.Nodes.JsonNode? Normalize(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    o[name] = Normalize(o[name]?.DeepClone());
                }

                return o;
            case System.Text.Json.Nodes.JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Normalize(a[i]?.DeepClone());
                }

                return a;
            case System.Text.Json.Nodes.JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                return System.Text.Json.Nodes.JsonValue.Create(v.GetValue<decimal>() / 1.000000000000000000000000000000000m);
            default:
                return node;
        }
    }

    private static async Task<List<string>> DescribeAsync(ResolverHarness p)
    {
        var people = new List<string>();
        foreach (var profile in await p.LiveProfilesAsync())
        {
            var keys = ProfileFacts.KeysOf(profile).ToList();
            foreach (var key in keys)
            {
                // Every identity a live profile holds must also resolve to it.
                Assert.Equal(profile.Id, (await p.Queries.FindByIdentityAsync(key))?.Body.Id);
            }

            var orders = await p.OrdersAsync(profile.Id);
            // Totals kept up order by order equal the totals of the orders held, whatever order they arrived in.
            Assert.Equal(Comparable(OrderTotals.Of(orders)), Comparable(profile.OrderTotals));
            people.Add(Describe(keys, orders.Select(o => o.OrderKey)));
        }

        people.Sort(StringComparer.Ordinal);
        return people;
    }

    private static string Describe(IEnumerable<IdentityKey> keys, IEnumerable<string> orderKeys) =>
        string.Join(",", keys.Select(k => $"{k.Kind}:{k.Value}").Order(StringComparer.Ordinal))
        + " | " + string.Join(",", orderKeys.Distinct().Order(StringComparer.Ordinal));

    /// <summary>A handful of people whose records carry overlapping subsets of their identities, typed in varying ways.</summary>
    private sealed class Scenario
    {
        private readonly List<(List<IdentityKey> Keys, string? OrderKey)> _facts = [];

        public List<CustomerActivity> Records { get; } = [];

        public static Scenario Generate(Random random)
        {
            var scenario = new Scenario();
            var people = random.Next(2, 6);
            var orderNumber = 0;
            for (var person = 0; person < people; person++)
            {
                // Each person owns a few identities; a shared household phone sometimes links two people.
                var identities = new List<(IdentityKey Key, Func<string> Typed)>();
                for (var e = random.Next(0, 3); e > 0; e--)
                {
                    var local = $"p{person}.mail{e}";
                    identities.Add((new IdentityKey(IdentityKind.Email, $"{local}@example.com"), () => Email(random, local)));
                }

                for (var ph = random.Next(0, 3); ph > 0; ph--)
                {
                    var line = person == 0 || random.Next(4) > 0 ? 1000 + (person * 10) + ph : 1000 + ph; // 1001/1002: shared
                    identities.Add((new IdentityKey(IdentityKind.Phone, $"+1202456{line}"), () => Phone(random, line)));
                }

                var sourceId = $"shop:s:{person}";
                identities.Add((new IdentityKey(IdentityKind.SourceCustomer, sourceId), () => sourceId));
                if (random.Next(2) == 0)
                {
                    var loyalty = $"card-{person}";
                    identities.Add((new IdentityKey(IdentityKind.Loyalty, loyalty), () => loyalty));
                }

                var personOrders = new List<string>();
                for (var r = random.Next(1, 5); r > 0; r--)
                {
                    var carried = identities.Where(_ => random.Next(3) > 0).ToList();
                    if (carried.Count == 0)
                    {
                        carried.Add(identities[random.Next(identities.Count)]);
                    }

                    string? orderKey = null;
                    OrderRecord? order = null;
                    if (random.Next(4) > 0)
                    {
                        // A repeated order key is another version of an earlier order of this person.
                        orderKey = personOrders.Count > 0 && random.Next(3) == 0 ? personOrders[random.Next(personOrders.Count)] : $"order-{orderNumber++}";
                        personOrders.Add(orderKey);
                        order = Order(orderKey, random.Next(5, 500), day: random.Next(0, 300), version: random.Next(0, 5), refunded: random.Next(2) * 5m);
                    }

                    scenario._facts.Add(([.. carried.Select(c => c.Key)], orderKey));
                    scenario.Records.Add(new CustomerActivity
                    {
                        Identities = new RawIdentities
                        {
                            Emails = [.. carried.Where(c => c.Key.Kind == IdentityKind.Email).Select(c => c.Typed())],
                            Phones = [.. carried.Where(c => c.Key.Kind == IdentityKind.Phone).Select(c => c.Typed())],
                            SourceCustomerIds = [.. carried.Where(c => c.Key.Kind == IdentityKind.SourceCustomer).Select(c => c.Typed())],
                            LoyaltyIds = [.. carried.Where(c => c.Key.Kind == IdentityKind.Loyalty).Select(c => c.Typed())],
                        },
                        FirstName = $"Person{person}",
                        Order = order,
                        OccurredAt = order?.VersionAt ?? Day0,
                    });
                }
            }

            return scenario;
        }

        /// <summary>The people the records prove: connected components of identities that share a record.</summary>
        public List<string> ExpectedPeople()
        {
            var parent = new Dictionary<IdentityKey, IdentityKey>();
            IdentityKey Find(IdentityKey k)
            {
                while (!parent[k].Equals(k))
                {
                    k = parent[k];
                }

                return k;
            }

            foreach (var (keys, _) in _facts)
            {
                foreach (var key in keys)
                {
                    parent.TryAdd(key, key);
                }

                foreach (var key in keys.Skip(1))
                {
                    parent[Find(key)] = Find(keys[0]);
                }
            }

            return [.. _facts
                .GroupBy(f => Find(f.Keys[0]))
                .Select(g => Describe(
                    parent.Keys.Where(k => Find(k).Equals(g.Key)),
                    g.Select(f => f.OrderKey).OfType<string>()))
                .Order(StringComparer.Ordinal)];
        }

        private static string Email(Random random, string local) => random.Next(3) switch
        {
            0 => $"{local}@example.com",
            1 => $"  {local.ToUpperInvariant()}@Example.COM ",
            _ => $"{char.ToUpperInvariant(local[0])}{local[1..]}@EXAMPLE.com",
        };

        private static string Phone(Random random, int line) => random.Next(4) switch
        {
            0 => $"(202) 456-{line}",
            1 => $"202.456.{line}",
            2 => $"+1 202 456 {line}",
            _ => $"1-202-456-{line}",
        };
    }
}
