using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Normalization;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Testing;

/// <summary>The resolver on a real temporary store, with helpers to look at what it stored.</summary>
public sealed class ResolverHarness : IAsyncDisposable
{
    private readonly TempStore _temp;

    private ResolverHarness(TempStore temp, FakeClock clock)
    {
        _temp = temp;
        Clock = clock;
        Normalizer = new IdentityNormalizer(new IdentityOptions { DefaultRegion = "US" });
        Profiles = new ProfileRepository(temp.Store);
        Links = new IdentityLinkIndex(temp.Store, LookupIds);
        Queries = new ProfileQueries(Profiles, Links);
        Resolver = new ProfileResolver(Profiles, Links, new ProfileMerger(Profiles, Links, clock), Normalizer, clock);
    }

    /// <summary>The lookup-id key of every harness (one deployment).</summary>
    public static IdentityLookupIds LookupIds { get; } = IdentityLookupIds.FromText("resolver-harness-lookup-key-0123456789");

    public IDocumentStore Store => _temp.Store;

    public string Folder => _temp.Folder;

    public FakeClock Clock { get; }

    public IdentityNormalizer Normalizer { get; }

    public ProfileResolver Resolver { get; }

    public ProfileRepository Profiles { get; }

    public IdentityLinkIndex Links { get; }

    public ProfileQueries Queries { get; }

    public static async Task<ResolverHarness> CreateAsync() => new(await TempStore.CreateAsync(), new FakeClock());

    public Task<ResolutionResult?> ApplyAsync(CustomerActivity activity) => Resolver.ApplyAsync(activity);

    public async Task<ResolutionResult> ApplyKnownAsync(CustomerActivity activity) =>
        await Resolver.ApplyAsync(activity) ?? throw new InvalidOperationException("The record named nobody.");

    public async Task<CustomerProfile> ProfileAsync(string id) =>
        (await Store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, id, id))?.Body
        ?? throw new InvalidOperationException($"No profile '{id}'.");

    /// <summary>The orders a profile holds (documents of the orders container), by order key.</summary>
    public async Task<List<OrderRecord>> OrdersAsync(string profileId) =>
        [.. (await Profiles.Orders.ListAsync(profileId)).OrderBy(o => o.OrderKey, StringComparer.Ordinal)];

    public async Task<CustomerProfile?> ProfileByEmailAsync(string email) =>
        (await Queries.FindByIdentityAsync(new IdentityKey(IdentityKind.Email, IdentityNormalizer.NormalizeEmail(email)!)))?.Body;

    public async Task<List<StoredDocument<CustomerProfile>>> AllProfilesAsync()
    {
        var all = new List<StoredDocument<CustomerProfile>>();
        await foreach (var document in Store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            all.Add(document);
        }

        return all;
    }

    public async Task<List<CustomerProfile>> LiveProfilesAsync() =>
        [.. (await AllProfilesAsync()).Select(d => d.Body).Where(p => !p.IsRedirect)];

    public ValueTask DisposeAsync() => _temp.DisposeAsync();
}
