using System.Collections.Concurrent;
using System.Globalization;
using CustomerValue.Application.PosImports;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Ingestion.PosExports;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>
/// A re-uploaded export is recognised row by row from its orders alone: rows already applied are duplicates without a
/// read of profiles, identity links or orders and without a write, and a row that says something new takes the full
/// path and lands.
/// </summary>
public sealed class PosReimportTests : IDisposable
{
    private const string Header = "transaction_id,timestamp,type,total,currency,store_id,customer_id,email,phone,first_name,last_name,loyalty_id\n";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-reimport-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentBag<SqliteDocumentStore> _stores = [];

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Reupload_OfAnImportedFile_CountsEveryIdentifiedRowAsDuplicate_WithoutReadingPeopleOrWriting()
    {
        var (inbox, store, exports) = await OpenAsync();
        var rows = Rows(120);
        await File.WriteAllTextAsync(Path.Combine(inbox, "day.csv"), Header + string.Concat(rows));
        var first = await ImportHarness.Importer(exports, store).ImportAsync("day.csv", CancellationToken.None);
        Assert.Equal(0, first!.Duplicates);

        Touch(inbox, "day.csv");
        var watched = new WatchingStore(store);
        var before = store.Statistics;
        var again = await ImportHarness.Importer(exports, watched).ImportAsync("day.csv", CancellationToken.None);

        Assert.NotNull(again);
        Assert.Equal(PosImportStatus.Completed, again.Status);
        Assert.Equal(first.Accepted, again.Duplicates);
        Assert.Equal(0, again.Accepted);
        Assert.Equal(first.Anonymous, again.Anonymous);
        Assert.Equal(first.Quarantined, again.Quarantined);
        Assert.Equal(0, watched.PeopleReads);
        var written = store.Statistics.Since(before).WritesByContainer;
        Assert.Equal(0, written.GetValueOrDefault(ContainerNames.Profiles) + written.GetValueOrDefault(ContainerNames.Orders) + written.GetValueOrDefault(ContainerNames.Identities));
    }

    [Fact]
    public async Task Reupload_WhereOneRowGainedAPhone_AcceptsThatRow_AndLinksThePhone()
    {
        var (inbox, store, exports) = await OpenAsync();
        var rows = Rows(60);
        await File.WriteAllTextAsync(Path.Combine(inbox, "day.csv"), Header + string.Concat(rows));
        var first = await ImportHarness.Importer(exports, store).ImportAsync("day.csv", CancellationToken.None);

        // The corrected export: row 7 (customer c7, by id) now also carries a phone nobody had.
        rows[7] = rows[7].Replace(",c7,,,", ",c7,,(202) 456-0177,", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(inbox, "day.csv"), Header + string.Concat(rows));
        Touch(inbox, "day.csv");
        var again = await ImportHarness.Importer(exports, store).ImportAsync("day.csv", CancellationToken.None);

        Assert.NotNull(again);
        Assert.Equal(1, again.Accepted);
        Assert.Equal(first!.Accepted - 1, again.Duplicates);
        var links = new IdentityLinkIndex(store, IdentityLookupIds.FromText(new string('k', IdentityLookupIds.MinKeyBytes)));
        var byPhone = await links.ReadAsync(new IdentityKey(IdentityKind.Phone, "+12024560177"));
        Assert.NotNull(byPhone);
        // The phone joined c7's profile, the one holding c7's only sale (17.00), and nobody new was created.
        var profile = (await store.ReadAsync<CustomerProfile>(ContainerNames.Profiles, byPhone.Body.ProfileId, byPhone.Body.ProfileId))!.Body;
        Assert.Contains("+12024560177", profile.Phones);
        Assert.Equal(1, profile.OrderTotals.Purchases);
        Assert.Equal(17m, profile.OrderTotals.Gross);
        Assert.Equal(first.Accepted, await CountProfilesAsync(store));
    }

    [Fact]
    public async Task Reupload_OfAFileWhoseRowsMergedPeople_IsRecognisedWholly_WithoutReadingPeopleOrWriting()
    {
        var (inbox, store, exports) = await OpenAsync();
        // Batches of two rows: c1 by id and c1's e-mail alone become two people, whom the third row's id and e-mail
        // together merge (the one-person path, which moves the absorbed person's order into the survivor).
        const string Merging = "T1,2025-03-01T09:00:00Z,sale,10,USD,s1,c1,,,Pat,Lee,\n"
            + "T2,2025-03-01T09:05:00Z,sale,11,USD,s1,,pat@example.com,,,,\n"
            + "T3,2025-03-01T09:10:00Z,sale,12,USD,s1,c1,pat@example.com,,,,\n"
            + "T4,2025-03-01T09:15:00Z,sale,13,USD,s1,c2,,,Sam,Ray,\n";
        await File.WriteAllTextAsync(Path.Combine(inbox, "day.csv"), Header + Merging);
        var small = new PosExportSettings { BatchRecords = 2 };
        var first = await ImportHarness.Importer(exports, store, small).ImportAsync("day.csv", CancellationToken.None);
        Assert.Equal(4, first!.Accepted);
        Assert.Equal(2, await CountLiveProfilesAsync(store));

        Touch(inbox, "day.csv");
        var watched = new WatchingStore(store);
        var before = store.Statistics;
        var again = await ImportHarness.Importer(exports, watched, small).ImportAsync("day.csv", CancellationToken.None);

        Assert.Equal(4, again!.Duplicates);
        Assert.Equal(0, watched.PeopleReads);
        var written = store.Statistics.Since(before).WritesByContainer;
        Assert.Equal(0, written.GetValueOrDefault(ContainerNames.Profiles) + written.GetValueOrDefault(ContainerNames.Orders) + written.GetValueOrDefault(ContainerNames.Identities));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reupload_IntoAStoreStampedByAnEarlierVersion_RecognisesItsJsonDigests_AndNothingElse(bool earlierDigests)
    {
        var (inbox, store, exports) = await OpenAsync();
        var rows = Rows(60);
        await File.WriteAllTextAsync(Path.Combine(inbox, "day.csv"), Header + string.Concat(rows));
        var first = await ImportHarness.Importer(exports, store).ImportAsync("day.csv", CancellationToken.None);

        // As an earlier version left them: each order stamped with the digest of its row's JSON (or with a stamp that is
        // nobody's digest, which must send every row down the full path, where it changes nothing).
        await RestampAsync(store, exports, "day.csv", earlierDigests);
        Touch(inbox, "day.csv");
        var watched = new WatchingStore(store);
        var before = store.Statistics;
        var again = await ImportHarness.Importer(exports, watched).ImportAsync("day.csv", CancellationToken.None);

        Assert.NotNull(again);
        Assert.Equal(first!.Accepted, again.Duplicates);
        Assert.Equal(0, again.Accepted);
        if (earlierDigests)
        {
            Assert.Equal(0, watched.PeopleReads);
        }
        else
        {
            Assert.True(watched.PeopleReads > 0);
        }

        var written = store.Statistics.Since(before).WritesByContainer;
        Assert.Equal(0, written.GetValueOrDefault(ContainerNames.Profiles) + written.GetValueOrDefault(ContainerNames.Orders) + written.GetValueOrDefault(ContainerNames.Identities));
    }

    private async Task<(string Inbox, SqliteDocumentStore Store, FolderPosExportStorage Exports)> OpenAsync()
    {
        var inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(inbox);
        var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();
        _stores.Add(store);
        return (inbox, store, new FolderPosExportStorage(inbox));
    }

    /// <summary>Rows of one day: customer c{n} by id for every row, a walk-in every tenth, an unreadable total once.</summary>
    private static string[] Rows(int count)
    {
        var start = new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
        return [.. Enumerable.Range(0, count).Select(row =>
        {
            var at = start.AddMinutes(row * 5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var total = (10m + row).ToString(CultureInfo.InvariantCulture);
            return row switch
            {
                13 => $"T{row},{at},sale,N/A,USD,s1,c{row},,,,,\n",
                _ when row % 10 == 5 => $"T{row},{at},sale,{total},USD,s1,,,,,,\n",
                _ => $"T{row},{at},sale,{total},USD,s1,c{row},,,Pat,Lee,\n",
            };
        })];
    }

    /// <summary>Rewrites every imported order's stamp as the JSON digest of its row (or as a stamp nobody makes).</summary>
    private static async Task RestampAsync(SqliteDocumentStore store, FolderPosExportStorage exports, string name, bool earlierDigests)
    {
        // The context the harness's resolver digests under: its region and its lookup key's probe.
        var links = new IdentityLinkIndex(store, IdentityLookupIds.FromText(new string('k', IdentityLookupIds.MinKeyBytes)));
        var probe = links.LookupId(new IdentityKey(IdentityKind.Email, "stamp-context@customer-value.invalid"));
        var digest = new RecordDigest($"US|{probe}|");
        var layout = await new PosLayoutCatalog(new PosExportSettings()).ForExportAsync(name, CancellationToken.None);
        var export = await exports.GetInfoAsync(name, CancellationToken.None);
        await using var content = await exports.OpenReadAsync(export!, CancellationToken.None);
        var writes = new List<DocumentWrite>();
        await foreach (var row in new PosExportReader().ReadAsync(content, layout))
        {
            if (row.Activity is { Order: { } order } activity)
            {
                var id = ProfileOrders.DocumentId(order.OrderKey);
                var held = Assert.Single(await store.FindByIdAsync<OrderRecord>(ContainerNames.Orders, id));
                writes.Add(DocumentWrite.Upsert(ContainerNames.Orders, id, held.PartitionKey, held.Body) with
                {
                    Stamp = earlierDigests ? digest.Legacy(activity) : "notadigest00",
                });
            }
        }

        Assert.NotEmpty(writes);
        await store.WriteAllAsync(writes);
    }

    private static async Task<int> CountLiveProfilesAsync(SqliteDocumentStore store)
    {
        var count = 0;
        await foreach (var profile in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            count += profile.Body.IsRedirect ? 0 : 1;
        }

        return count;
    }

    private static async Task<int> CountProfilesAsync(SqliteDocumentStore store)
    {
        var count = 0;
        await foreach (var _ in store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            count++;
        }

        return count;
    }

    private static void Touch(string inbox, string name) =>
        File.SetLastWriteTimeUtc(Path.Combine(inbox, name), DateTime.UtcNow.AddMinutes(5));

    /// <summary>Counts every read of profiles, identity links and orders that passes through.</summary>
    private sealed class WatchingStore(IDocumentStore inner) : DelegatingDocumentStore(inner)
    {
        private static readonly HashSet<string> People = [ContainerNames.Profiles, ContainerNames.Identities, ContainerNames.Orders];
        private int _reads;

        public int PeopleReads => Volatile.Read(ref _reads);

        public override Task<StoredDocument<T>?> ReadAsync<T>(string container, string id, string partitionKey, CancellationToken cancellationToken = default)
        {
            Count(container);
            return base.ReadAsync<T>(container, id, partitionKey, cancellationToken);
        }

        public override Task<IReadOnlyList<StoredDocument<T>>> ReadManyAsync<T>(string container, IReadOnlyList<DocumentAddress> addresses, CancellationToken cancellationToken = default)
        {
            Count(container);
            return base.ReadManyAsync<T>(container, addresses, cancellationToken);
        }

        public override Task<IReadOnlyList<StoredDocument<T>>> FindByIdAsync<T>(string container, string id, CancellationToken cancellationToken = default)
        {
            Count(container);
            return base.FindByIdAsync<T>(container, id, cancellationToken);
        }

        private void Count(string container)
        {
            if (People.Contains(container))
            {
                Interlocked.Increment(ref _reads);
            }
        }
    }
}
