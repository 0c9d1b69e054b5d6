using System.Globalization;
using System.Text;
using CustomerValue.Application.PosImports;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>
/// A POS system keeps one customer list for the whole chain: its customer ids name one person in every store. Older
/// data keyed those ids per store and must keep resolving.
/// </summary>
public sealed class ChainCustomerIdTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-chain-ids-" + Guid.NewGuid().ToString("N"));
    private readonly string _inbox;
    private readonly SqliteDocumentStore _store;
    private readonly FolderPosExportStorage _exports;

    public ChainCustomerIdTests()
    {
        _inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(_inbox);
        _store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        _store.InitializeAsync().GetAwaiter().GetResult();
        _exports = new FolderPosExportStorage(_inbox);
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Import_OneCustomerIdInFiveStores_PhoneOnOneRow_IsOneProfileWithTenOrders()
    {
        Write("chain.csv", Sales("C-77", stores: 5, perStore: 2, phoneOnRow: 3));

        var report = await ImportHarness.Importer(_exports, _store).ImportAsync("chain.csv", CancellationToken.None);

        Assert.Equal((10, 10), (report!.Read, report.Accepted));
        var byPhone = await Queries().FindByIdentityAsync(new IdentityKey(IdentityKind.Phone, "+12024561234"));
        Assert.NotNull(byPhone);
        Assert.Equal(10, byPhone.Body.Orders);
        Assert.Equal(["pos:generic:C-77"], byPhone.Body.SourceCustomerIds);
        Assert.Equal(1, await LiveProfilesAsync());
    }

    [Fact]
    public async Task Import_PerStoreScopeSetting_KeepsOneProfilePerStore()
    {
        Write("chain.csv", Sales("C-77", stores: 5, perStore: 2, phoneOnRow: null));
        var settings = new PosExportSettings { CustomerIdScope = PosCustomerIdScope.Store };

        await ImportHarness.Importer(_exports, _store, settings).ImportAsync("chain.csv", CancellationToken.None);

        Assert.Equal(5, await LiveProfilesAsync());
        var store1 = await Queries().FindByIdentityAsync(new IdentityKey(IdentityKind.SourceCustomer, "pos:store-1:C-77"));
        Assert.Equal(2, store1!.Body.Orders);
    }

    [Fact]
    public async Task Import_AfterPerStoreData_FindsTheOldProfilesAndJoinsThem()
    {
        // Data imported before ids were chain-wide: one profile per store for the same customer.
        Write("before.csv", Sales("C-9", stores: 2, perStore: 1, phoneOnRow: null, firstTransaction: 0));
        await ImportHarness.Importer(_exports, _store, new PosExportSettings { CustomerIdScope = PosCustomerIdScope.Store })
            .ImportAsync("before.csv", CancellationToken.None);
        Assert.Equal(2, await LiveProfilesAsync());

        Write("after.csv", Sales("C-9", stores: 2, perStore: 1, phoneOnRow: null, firstTransaction: 100));
        await ImportHarness.Importer(_exports, _store).ImportAsync("after.csv", CancellationToken.None);

        Assert.Equal(1, await LiveProfilesAsync());
        var old = await Queries().FindByIdentityAsync(new IdentityKey(IdentityKind.SourceCustomer, "pos:store-2:C-9"));
        Assert.NotNull(old);
        Assert.Equal(4, old.Body.Orders);
        Assert.Contains("pos:generic:C-9", old.Body.SourceCustomerIds);
    }

    private static string Sales(string customer, int stores, int perStore, int? phoneOnRow, int firstTransaction = 0)
    {
        var text = new StringBuilder("transaction_id,timestamp,total,store_id,customer_id,phone\n");
        var start = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var row = 0;
        for (var store = 1; store <= stores; store++)
        {
            for (var sale = 0; sale < perStore; sale++, row++)
            {
                var at = start.AddDays(firstTransaction + row).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                var phone = row == phoneOnRow ? "(202) 456-1234" : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"T{firstTransaction + row},{at},{10 + row}.00,store-{store},{customer},{phone}\n");
            }
        }

        return text.ToString();
    }

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_inbox, name), content);

    private ProfileQueries Queries()
    {
        var links = new IdentityLinkIndex(_store, IdentityLookupIds.FromText(new string('k', IdentityLookupIds.MinKeyBytes)));
        return new ProfileQueries(new ProfileRepository(_store), links);
    }

    private async Task<int> LiveProfilesAsync()
    {
        var live = 0;
        await foreach (var profile in _store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            live += profile.Body.IsRedirect || profile.Body.IsErased ? 0 : 1;
        }

        return live;
    }
}
