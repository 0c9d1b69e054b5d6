using CustomerValue.Storage.Documents;

namespace CustomerValue.Storage.Tests.Documents;

/// <summary>
/// The behaviour every <see cref="IDocumentStore"/> must show (Cosmos DB NoSQL semantics). Each implementation
/// subclasses this once; xunit runs every fact against it with a fresh store per test.
/// <para>
/// <see cref="CreateStoreAsync"/> must return an initialized, empty store: the change-feed and scan tests read a
/// container from the beginning. Only the containers of <see cref="ContainerNames"/> are used, and documents use
/// partition key = id (the containers are partitioned on <c>/id</c>) except in the tests about partitions.
/// </para>
/// <para>
/// The change-feed order tests follow <see cref="IDocumentStore.ReadChangeFeedAsync{T}"/>: one order by last change
/// across the container. Cosmos DB promises that order only within a physical partition, which a test container
/// (a few documents, one physical partition) always is.
/// </para>
/// </summary>
public abstract class DocumentStoreContract : IAsyncLifetime
{
    private const string Container = ContainerNames.Profiles;
    private const string OtherContainer = ContainerNames.Identities;
    private static readonly string Segments = IndexedArrays.ProfileSegments.Property;

    private IDocumentStore? _store;

    /// <summary>The store under test, created for this test.</summary>
    protected IDocumentStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates an initialized, empty store for one test.</summary>
    protected abstract Task<IDocumentStore> CreateStoreAsync();

    /// <summary>Releases what <see cref="CreateStoreAsync"/> created.</summary>
    protected virtual Task DisposeStoreAsync(IDocumentStore store) => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }
    }

    // ---- point operations -------------------------------------------------------------------------------------

    [Fact]
    public async Task Read_WhenDocumentIsMissing_ReturnsNull()
    {
        Assert.Null(await Store.ReadAsync<TestItem>(Container, "missing", "missing"));
    }

    [Fact]
    public async Task Create_ThenRead_ReturnsTheBodyAndTheSameETag()
    {
        var created = await Store.CreateAsync(Container, "a", "pk-a", new TestItem("first", 1));

        var read = await Store.ReadAsync<TestItem>(Container, "a", "pk-a");

        Assert.NotNull(read);
        Assert.Equal("a", read.Id);
        Assert.Equal("pk-a", read.PartitionKey);
        Assert.Equal(new TestItem("first", 1), read.Body);
        Assert.False(string.IsNullOrEmpty(created.ETag));
        Assert.Equal(created.ETag, read.ETag);
    }

    [Fact]
    public async Task Create_WhenDocumentExists_ThrowsConflictAndKeepsTheFirst()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("first"));

        await Assert.ThrowsAsync<DocumentConflictException>(() => Store.CreateAsync(Container, "a", "a", new TestItem("second")));

        Assert.Equal("first", (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.Body.Label);
    }

    [Fact]
    public async Task Replace_WithCurrentETag_WritesAndChangesTheETag()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("v1"));

        var replaced = await Store.ReplaceAsync(Container, "a", "a", new TestItem("v2"), created.ETag);

        Assert.NotEqual(created.ETag, replaced.ETag);
        var read = await Store.ReadAsync<TestItem>(Container, "a", "a");
        Assert.Equal("v2", read!.Body.Label);
        Assert.Equal(replaced.ETag, read.ETag);
    }

    [Fact]
    public async Task Replace_WithStaleETag_ThrowsPreconditionFailedAndKeepsTheNewerVersion()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("v1"));
        await Store.ReplaceAsync(Container, "a", "a", new TestItem("v2"), created.ETag);

        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(
            () => Store.ReplaceAsync(Container, "a", "a", new TestItem("lost"), created.ETag));

        Assert.Equal("v2", (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.Body.Label);
    }

    [Fact]
    public async Task Replace_WhenDocumentIsMissing_ThrowsNotFound()
    {
        var other = await Store.CreateAsync(Container, "other", "other", new TestItem("x"));

        await Assert.ThrowsAsync<DocumentNotFoundException>(
            () => Store.ReplaceAsync(Container, "missing", "missing", new TestItem("x"), other.ETag));
        Assert.Null(await Store.ReadAsync<TestItem>(Container, "missing", "missing"));
    }

    [Fact]
    public async Task Replace_AfterDelete_ThrowsNotFound()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("v1"));
        await Store.DeleteAsync(Container, "a", "a");

        await Assert.ThrowsAsync<DocumentNotFoundException>(
            () => Store.ReplaceAsync(Container, "a", "a", new TestItem("v2"), created.ETag));
    }

    [Fact]
    public async Task Upsert_WhenMissing_Creates()
    {
        var upserted = await Store.UpsertAsync(Container, "a", "a", new TestItem("new"));

        var read = await Store.ReadAsync<TestItem>(Container, "a", "a");
        Assert.Equal("new", read!.Body.Label);
        Assert.Equal(upserted.ETag, read.ETag);
    }

    [Fact]
    public async Task Upsert_WhenExisting_OverwritesAndChangesTheETag()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("old"));

        var upserted = await Store.UpsertAsync(Container, "a", "a", new TestItem("new"));

        Assert.NotEqual(created.ETag, upserted.ETag);
        Assert.Equal("new", (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.Body.Label);
        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(
            () => Store.ReplaceAsync(Container, "a", "a", new TestItem("stale"), created.ETag));
    }

    [Fact]
    public async Task Delete_WhenExisting_ReturnsTrueAndRemovesIt()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("x"));

        Assert.True(await Store.DeleteAsync(Container, "a", "a"));

        Assert.Null(await Store.ReadAsync<TestItem>(Container, "a", "a"));
    }

    [Fact]
    public async Task Delete_WhenMissing_ReturnsFalse()
    {
        Assert.False(await Store.DeleteAsync(Container, "missing", "missing"));
    }

    [Fact]
    public async Task Create_AfterDelete_Succeeds()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("first"));
        await Store.DeleteAsync(Container, "a", "a");

        await Store.CreateAsync(Container, "a", "a", new TestItem("second"));

        Assert.Equal("second", (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.Body.Label);
    }

    [Fact]
    public async Task SameId_InTwoPartitions_AreDifferentDocuments()
    {
        await Store.CreateAsync(Container, "a", "pk-1", new TestItem("one"));
        await Store.CreateAsync(Container, "a", "pk-2", new TestItem("two"));

        Assert.Equal("one", (await Store.ReadAsync<TestItem>(Container, "a", "pk-1"))!.Body.Label);
        Assert.Equal("two", (await Store.ReadAsync<TestItem>(Container, "a", "pk-2"))!.Body.Label);
        Assert.Null(await Store.ReadAsync<TestItem>(Container, "a", "pk-3"));

        Assert.True(await Store.DeleteAsync(Container, "a", "pk-1"));
        Assert.NotNull(await Store.ReadAsync<TestItem>(Container, "a", "pk-2"));
    }

    [Fact]
    public async Task SameId_InTwoContainers_AreDifferentDocuments()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("profile"));
        await Store.CreateAsync(OtherContainer, "a", "a", new TestItem("identity"));

        Assert.Equal("profile", (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.Body.Label);
        Assert.Equal("identity", (await Store.ReadAsync<TestItem>(OtherContainer, "a", "a"))!.Body.Label);

        Assert.True(await Store.DeleteAsync(OtherContainer, "a", "a"));
        Assert.NotNull(await Store.ReadAsync<TestItem>(Container, "a", "a"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("")]
    public async Task Write_WithInvalidId_IsRejected(string id)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateAsync(Container, id, "pk", new TestItem("x")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.UpsertAsync(Container, id, "pk", new TestItem("x")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReplaceAsync(Container, id, "pk", new TestItem("x"), "\"any\""));
        Assert.Empty((await Store.ReadChangeFeedAsync<TestItem>(Container, null, 10)).Documents);
    }

    [Fact]
    public async Task Write_WithIdOfMaximumLength_IsAcceptedAndLongerIsRejected()
    {
        var longest = new string('x', 255);

        await Store.CreateAsync(Container, longest, "pk", new TestItem("x"));

        Assert.NotNull(await Store.ReadAsync<TestItem>(Container, longest, "pk"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CreateAsync(Container, longest + "x", "pk", new TestItem("x")));
    }

    [Fact]
    public async Task Write_WithIdCharactersCosmosAllows_RoundTrips()
    {
        const string id = "email-ab12:shopify:my shop:123_é.x-y";

        await Store.CreateAsync(Container, id, id, new TestItem("x"));

        Assert.NotNull(await Store.ReadAsync<TestItem>(Container, id, id));
    }

    // ---- scan ---------------------------------------------------------------------------------------------------

    // ---- partitions and write sets -----------------------------------------------------------------------------

    [Fact]
    public async Task ReadPartition_PagesThroughOnePartitionOnly_EachDocumentOnce()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.UpsertAsync(ContainerNames.Orders, $"o-{i}", "cp-1", new TestItem($"order {i}", i));
        }

        await Store.UpsertAsync(ContainerNames.Orders, "o-x", "cp-2", new TestItem("someone else's"));
        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await Store.ReadPartitionAsync<TestItem>(ContainerNames.Orders, "cp-1", continuation, 3);
            Assert.InRange(page.Documents.Count, 0, 3);
            Assert.All(page.Documents, d => Assert.Equal("cp-1", d.PartitionKey));
            seen.AddRange(page.Documents.Select(d => d.Id));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null && pages < 10);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"o-{i}"), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PartitionChangeFeed_YieldsOnlyThatPartitionsChanges_InOrderOfLastChange_AcrossPages()
    {
        const string Queue = ContainerNames.Outbound;
        for (var i = 0; i < 5; i++)
        {
            await Store.UpsertAsync(Queue, $"g-{i}", "google", new TestItem($"google {i}", i));
            await Store.UpsertAsync(Queue, $"m-{i}", "meta", new TestItem($"meta {i}", i));
        }

        await Store.UpsertAsync(Queue, "g-1", "google", new TestItem("google 1 again"));
        var seen = new List<string>();
        string? continuation = null;
        for (var guard = 0; guard < 10; guard++)
        {
            var page = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "google", continuation, 2);
            Assert.InRange(page.Documents.Count, 0, 2);
            Assert.All(page.Documents, d => Assert.Equal("google", d.PartitionKey));
            continuation = page.Continuation;
            if (page.Documents.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Documents.Select(d => d.Body.Label));
        }

        Assert.Equal(["google 0", "google 2", "google 3", "google 4", "google 1 again"], seen);
    }

    [Fact]
    public async Task PartitionChangeFeed_FromItsContinuation_SeesLaterChangesOfThePartitionOnly_NotDeletes()
    {
        const string Queue = ContainerNames.Outbound;
        await Store.UpsertAsync(Queue, "g-1", "google", new TestItem("google 1"));
        await Store.UpsertAsync(Queue, "k-1", "klaviyo", new TestItem("klaviyo 1"));
        var first = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "google", null, 100);

        await Store.UpsertAsync(Queue, "k-2", "klaviyo", new TestItem("klaviyo 2"));
        var nothingNew = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "google", first.Continuation, 100);
        await Store.UpsertAsync(Queue, "g-2", "google", new TestItem("google 2"));
        await Store.UpsertAsync(Queue, "g-3", "google", new TestItem("google 3"));
        await Store.DeleteAsync(Queue, "g-3", "google");
        await Store.DeleteAsync(Queue, "g-1", "google");
        var next = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "google", nothingNew.Continuation, 100);
        var klaviyo = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "klaviyo", null, 100);

        Assert.Equal(["google 1"], first.Documents.Select(d => d.Body.Label));
        Assert.Empty(nothingNew.Documents);
        Assert.Equal(["google 2"], next.Documents.Select(d => d.Body.Label));
        Assert.Equal(["klaviyo 1", "klaviyo 2"], klaviyo.Documents.Select(d => d.Body.Label));
    }

    [Fact]
    public async Task PartitionChangeFeed_OfAnEmptyPartition_ReturnsNoDocuments_AndAContinuationThatStillWorks()
    {
        const string Queue = ContainerNames.Outbound;
        await Store.UpsertAsync(Queue, "m-1", "meta", new TestItem("meta 1"));
        var empty = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "google", null, 10);

        await Store.UpsertAsync(Queue, "g-1", "google", new TestItem("google 1"));
        var next = await Store.ReadPartitionChangeFeedAsync<TestItem>(Queue, "google", empty.Continuation, 10);

        Assert.Empty(empty.Documents);
        Assert.NotNull(empty.Continuation);
        Assert.Equal(["google 1"], next.Documents.Select(d => d.Body.Label));
    }

    [Fact]
    public async Task ReadPartition_OfEmptyPartition_ReturnsNoDocumentsAndNoContinuation()
    {
        var page = await Store.ReadPartitionAsync<TestItem>(ContainerNames.Orders, "cp-none", null, 10);
        Assert.Empty(page.Documents);
        Assert.Null(page.Continuation);
    }

    [Fact]
    public async Task ReadMany_ReturnsTheDocumentsThatExist_OnceEach_WithTheirETags()
    {
        var a = await Store.UpsertAsync(ContainerNames.Orders, "o-a", "cp-1", new TestItem("a"));
        await Store.UpsertAsync(ContainerNames.Orders, "o-b", "cp-2", new TestItem("b"));

        var found = await Store.ReadManyAsync<TestItem>(ContainerNames.Orders,
            [new DocumentAddress("o-a", "cp-1"), new DocumentAddress("o-b", "cp-2"), new DocumentAddress("o-b", "cp-1"), new DocumentAddress("missing", "cp-1"), new DocumentAddress("o-a", "cp-1")]);

        Assert.Equal(["a", "b"], found.Select(d => d.Body.Label).Order(StringComparer.Ordinal));
        Assert.Equal(a.ETag, found.Single(d => d.Id == "o-a").ETag);
        Assert.Empty(await Store.ReadManyAsync<TestItem>(ContainerNames.Orders, []));
    }

    [Fact]
    public async Task WriteAll_AppliesEveryWriteInOrder_AndReturnsTheirETags()
    {
        var guard = await Store.CreateAsync(Container, "p", "p", new TestItem("v1"));
        await Store.UpsertAsync(ContainerNames.Orders, "old", "p", new TestItem("gone soon"));

        var etags = await Store.WriteAllAsync(
        [
            DocumentWrite.Replace(Container, "p", "p", new TestItem("v2"), guard.ETag),
            DocumentWrite.Upsert(ContainerNames.Orders, "o-1", "p", new TestItem("order")),
            DocumentWrite.Delete(ContainerNames.Orders, "old", "p"),
        ]);

        var profile = await Store.ReadAsync<TestItem>(Container, "p", "p");
        Assert.Equal(("v2", etags[0]), (profile!.Body.Label, profile.ETag));
        Assert.Equal("order", (await Store.ReadAsync<TestItem>(ContainerNames.Orders, "o-1", "p"))!.Body.Label);
        Assert.Null(await Store.ReadAsync<TestItem>(ContainerNames.Orders, "old", "p"));
        Assert.Null(etags[2]);
    }

    [Fact]
    public async Task WriteAll_WhenTheGuardIsStale_ThrowsPreconditionFailedAndWritesNothing()
    {
        var guard = await Store.CreateAsync(Container, "p", "p", new TestItem("v1"));
        await Store.ReplaceAsync(Container, "p", "p", new TestItem("v2"), guard.ETag);

        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(() => Store.WriteAllAsync(
        [
            DocumentWrite.Replace(Container, "p", "p", new TestItem("v3"), guard.ETag),
            DocumentWrite.Upsert(ContainerNames.Orders, "o-1", "p", new TestItem("order")),
        ]));

        Assert.Equal("v2", (await Store.ReadAsync<TestItem>(Container, "p", "p"))!.Body.Label);
        Assert.Null(await Store.ReadAsync<TestItem>(ContainerNames.Orders, "o-1", "p"));
    }

    [Fact]
    public async Task Scan_OverMoreThanOnePage_ReturnsEveryDocumentExactlyOnce()
    {
        // Ids repeat across partitions so that paging must key on (partition key, id), not on id alone.
        const int count = 1203;
        var expected = new HashSet<(string Pk, string Id)>();
        for (var i = 0; i < count; i++)
        {
            var (pk, id) = ($"pk-{i % 7}", $"doc-{i / 7:D4}");
            expected.Add((pk, id));
            await Store.CreateAsync(Container, id, pk, new TestItem($"{pk}/{id}", i));
        }

        await Store.CreateAsync(OtherContainer, "elsewhere", "elsewhere", new TestItem("other container"));

        var seen = new List<(string Pk, string Id)>();
        await foreach (var document in Store.ScanAsync<TestItem>(Container))
        {
            Assert.Equal($"{document.PartitionKey}/{document.Id}", document.Body.Label);
            seen.Add((document.PartitionKey, document.Id));
        }

        Assert.Equal(count, seen.Count);
        Assert.True(expected.SetEquals(seen));
    }

    [Fact]
    public async Task Scan_OfEmptyContainer_ReturnsNothing()
    {
        await Store.CreateAsync(OtherContainer, "a", "a", new TestItem("x"));

        var seen = 0;
        await foreach (var unused in Store.ScanAsync<TestItem>(Container))
        {
            seen++;
        }

        Assert.Equal(0, seen);
    }

    [Fact]
    public async Task Scan_ReturnsTheCurrentETags()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("v1"));
        var replaced = await Store.ReplaceAsync(Container, "a", "a", new TestItem("v2"), created.ETag);

        await foreach (var document in Store.ScanAsync<TestItem>(Container))
        {
            Assert.Equal(replaced.ETag, document.ETag);
            Assert.Equal("v2", document.Body.Label);
        }
    }

    // ---- indexed arrays -------------------------------------------------------------------------------------------

    [Fact]
    public async Task QueryArrayContains_ReturnsOnlyMembers_InIdOrder_PagedByTheLastId()
    {
        await Store.CreateAsync(Container, "c", "c", new SegmentedItem("c", ["rare", "top-20"]));
        await Store.CreateAsync(Container, "a", "a", new SegmentedItem("a", ["rare"]));
        await Store.CreateAsync(Container, "b", "b", new SegmentedItem("b", ["top-20", "rarely"]));
        await Store.CreateAsync(Container, "d", "d", new SegmentedItem("d", ["rare"]));
        await Store.CreateAsync(Container, "e", "e", new TestItem("no segments at all"));

        var first = await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "rare", null, 2);
        var second = await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "rare", first[^1].Id, 2);

        Assert.Equal(["a", "c"], first.Select(d => d.Id));
        Assert.Equal(["d"], second.Select(d => d.Id));
        Assert.Equal("d", second[0].Body.Label);
        Assert.Equal((await Store.ReadAsync<SegmentedItem>(Container, "d", "d"))!.ETag, second[0].ETag);
        Assert.Empty(await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "nobody", null, 10));
    }

    [Fact]
    public async Task QueryArrayContains_FollowsReplaceUpsertAndDelete()
    {
        var a = await Store.CreateAsync(Container, "a", "a", new SegmentedItem("a", ["rare"]));
        await Store.CreateAsync(Container, "b", "b", new SegmentedItem("b", []));
        await Store.CreateAsync(Container, "c", "c", new SegmentedItem("c", ["rare"]));

        await Store.ReplaceAsync(Container, "a", "a", new SegmentedItem("a left", ["top-20"]), a.ETag);
        await Store.UpsertAsync(Container, "b", "b", new SegmentedItem("b joined", ["rare"]));
        await Store.DeleteAsync(Container, "c", "c");

        var members = await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "rare", null, 10);
        Assert.Equal(["b"], members.Select(d => d.Id));
        Assert.Equal("b joined", members[0].Body.Label);
        Assert.Equal(["a"], (await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "top-20", null, 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task QueryArrayContains_AfterAWriteSetWasRefused_ShowsNoneOfItsChanges()
    {
        var a = await Store.CreateAsync(Container, "a", "a", new SegmentedItem("a", ["rare"]));
        await Store.ReplaceAsync(Container, "a", "a", new SegmentedItem("a", ["rare", "top-20"]), a.ETag);

        // The set moves a out of "rare" and joins b to it, guarded by a's ETag, which is stale: nothing of it shows.
        await Assert.ThrowsAsync<DocumentPreconditionFailedException>(() => Store.WriteAllAsync(
        [
            DocumentWrite.Replace(Container, "a", "a", new SegmentedItem("a", ["dormant"]), a.ETag),
            DocumentWrite.Upsert(Container, "b", "b", new SegmentedItem("b", ["rare"])),
        ]));

        Assert.Equal(["a"], (await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "rare", null, 10)).Select(d => d.Id));
        Assert.Empty(await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "dormant", null, 10));
    }

    [Fact]
    public async Task QueryArrayContains_AfterRewritesWithTheSameOrRepeatedValues_ListsEachMemberOnce()
    {
        await Store.UpsertAsync(Container, "a", "a", new SegmentedItem("a", ["rare", "rare"]));
        await Store.UpsertAsync(Container, "a", "a", new SegmentedItem("a again", ["rare"]));
        await Store.UpsertAsync(Container, "b", "b", new SegmentedItem("b", ["top-20"]));
        await Store.UpsertAsync(Container, "b", "b", new SegmentedItem("b", ["top-20", "rare"]));

        var members = await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, "rare", null, 10);

        Assert.Equal(["a", "b"], members.Select(d => d.Id));
        Assert.Equal("a again", members[0].Body.Label);
    }

    [Fact]
    public async Task QueryArrayContains_FindsValuesThatJsonEscapes()
    {
        const string escaped = "vip \"gold\" \u00e9 <b>";
        await Store.UpsertAsync(Container, "a", "a", new SegmentedItem("a", [escaped, "plain"]));

        Assert.Equal(["a"], (await Store.QueryArrayContainsAsync<SegmentedItem>(Container, Segments, escaped, null, 10)).Select(d => d.Id));
    }

    [Fact]
    public async Task QueryArrayContains_OnAnArrayThatIsNotIndexed_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryArrayContainsAsync<SegmentedItem>(Container, "label", "x", null, 10));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryArrayContainsAsync<SegmentedItem>(OtherContainer, Segments, "x", null, 10));
    }

    // ---- lookups by id ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task FindById_ReturnsTheDocumentsWithThatId_InEveryPartition()
    {
        await Store.UpsertAsync(ContainerNames.Orders, "o-1", "alice", new TestItem("alice's"));
        await Store.UpsertAsync(ContainerNames.Orders, "o-1", "bob", new TestItem("bob's"));
        await Store.UpsertAsync(ContainerNames.Orders, "o-2", "alice", new TestItem("other order"));

        var found = await Store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-1");

        Assert.Equal([("alice", "alice's"), ("bob", "bob's")], found.Select(d => (d.PartitionKey, d.Body.Label)).OrderBy(p => p.PartitionKey));
        Assert.All(found, d => Assert.Equal("o-1", d.Id));
        Assert.Empty(await Store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-3"));
        await Store.DeleteAsync(ContainerNames.Orders, "o-1", "bob");
        Assert.Equal(["alice"], (await Store.FindByIdAsync<TestItem>(ContainerNames.Orders, "o-1")).Select(d => d.PartitionKey));
    }

    [Fact]
    public async Task FindById_InAContainerThatIsNotSearchable_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.FindByIdAsync<TestItem>(ContainerNames.Profiles, "x"));
    }

    // ---- change feed --------------------------------------------------------------------------------------------

    [Fact]
    public async Task ChangeFeed_FromTheBeginning_YieldsEachDocumentOnceInItsLatestVersion()
    {
        var a = await Store.CreateAsync(Container, "a", "a", new TestItem("a1"));
        await Store.CreateAsync(Container, "b", "b", new TestItem("b1"));
        a = await Store.ReplaceAsync(Container, "a", "a", new TestItem("a2"), a.ETag);
        await Store.ReplaceAsync(Container, "a", "a", new TestItem("a3"), a.ETag);

        var page = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        Assert.Equal(["b1", "a3"], page.Documents.Select(d => d.Body.Label));
    }

    [Fact]
    public async Task ChangeFeed_OrdersDocumentsByTheirLastChange()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("a"));
        await Store.CreateAsync(Container, "b", "b", new TestItem("b"));
        await Store.CreateAsync(Container, "c", "c", new TestItem("c"));
        await Store.UpsertAsync(Container, "b", "b", new TestItem("b2"));

        var page = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        Assert.Equal(["a", "c", "b"], page.Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task ChangeFeed_ReportsTheETagOfTheLatestVersion()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("v1"));
        var replaced = await Store.ReplaceAsync(Container, "a", "a", new TestItem("v2"), created.ETag);

        var page = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        Assert.Equal(replaced.ETag, Assert.Single(page.Documents).ETag);
    }

    [Fact]
    public async Task ChangeFeed_FromContinuation_ReturnsOnlyLaterChanges()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("a"));
        await Store.CreateAsync(Container, "b", "b", new TestItem("b"));
        var first = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        await Store.CreateAsync(Container, "c", "c", new TestItem("c"));
        await Store.UpsertAsync(Container, "a", "a", new TestItem("a2"));
        var second = await Store.ReadChangeFeedAsync<TestItem>(Container, first.Continuation, 100);

        Assert.Equal(["c", "a2"], second.Documents.Select(d => d.Body.Label));
    }

    [Fact]
    public async Task ChangeFeed_WhenNothingChanged_ReturnsAnEmptyPageWhoseContinuationStillWorks()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("a"));
        var first = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        var empty = await Store.ReadChangeFeedAsync<TestItem>(Container, first.Continuation, 100);
        await Store.CreateAsync(Container, "b", "b", new TestItem("b"));
        var next = await Store.ReadChangeFeedAsync<TestItem>(Container, empty.Continuation, 100);

        Assert.Empty(empty.Documents);
        Assert.Equal(["b"], next.Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task ChangeFeed_WhenDocumentIsUpdatedAfterBeingRead_ItMovesToTheEndOfTheNextPage()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("a"));
        await Store.CreateAsync(Container, "b", "b", new TestItem("b"));
        var first = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        await Store.UpsertAsync(Container, "a", "a", new TestItem("a2"));
        await Store.CreateAsync(Container, "c", "c", new TestItem("c"));
        await Store.UpsertAsync(Container, "b", "b", new TestItem("b2"));
        var second = await Store.ReadChangeFeedAsync<TestItem>(Container, first.Continuation, 100);

        Assert.Equal(["a2", "c", "b2"], second.Documents.Select(d => d.Body.Label));
    }

    [Fact]
    public async Task ChangeFeed_WithMaxItems_PagesThroughEveryChangeOnceInOrder()
    {
        var expected = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            await Store.CreateAsync(Container, $"d{i}", $"d{i}", new TestItem($"d{i}"));
            expected.Add($"d{i}");
        }

        var pages = new List<int>();
        var seen = new List<string>();
        string? continuation = null;
        for (var guard = 0; guard < 20; guard++)
        {
            var page = await Store.ReadChangeFeedAsync<TestItem>(Container, continuation, 3);
            continuation = page.Continuation;
            if (page.Documents.Count == 0)
            {
                break;
            }

            pages.Add(page.Documents.Count);
            seen.AddRange(page.Documents.Select(d => d.Body.Label));
        }

        Assert.All(pages, size => Assert.InRange(size, 1, 3));
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task ChangeFeed_DoesNotReportDeletes()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("a"));
        await Store.CreateAsync(Container, "b", "b", new TestItem("b"));
        await Store.DeleteAsync(Container, "a", "a");
        var first = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        await Store.DeleteAsync(Container, "b", "b");
        var second = await Store.ReadChangeFeedAsync<TestItem>(Container, first.Continuation, 100);

        Assert.Equal(["b"], first.Documents.Select(d => d.Id));
        Assert.Empty(second.Documents);
    }

    [Fact]
    public async Task ChangeFeed_OfOneContainer_DoesNotSeeWritesToAnother()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("profile"));
        var first = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);
        await Store.CreateAsync(OtherContainer, "b", "b", new TestItem("identity"));
        await Store.UpsertAsync(OtherContainer, "a", "a", new TestItem("identity"));

        var second = await Store.ReadChangeFeedAsync<TestItem>(Container, first.Continuation, 100);
        var other = await Store.ReadChangeFeedAsync<TestItem>(OtherContainer, null, 100);

        Assert.Equal(["profile"], first.Documents.Select(d => d.Body.Label));
        Assert.Empty(second.Documents);
        Assert.Equal(["b", "a"], other.Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task ChangeFeed_ReportsSameIdInTwoPartitionsAsTwoDocuments()
    {
        await Store.CreateAsync(Container, "a", "pk-1", new TestItem("one"));
        await Store.CreateAsync(Container, "a", "pk-2", new TestItem("two"));

        var page = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        Assert.Equal(["pk-1", "pk-2"], page.Documents.Select(d => d.PartitionKey).Order(StringComparer.Ordinal));
    }

    // ---- optimistic update --------------------------------------------------------------------------------------

    [Fact]
    public async Task OptimisticUpdate_WhenDocumentIsMissing_CreatesIt()
    {
        var result = await Store.UpdateAsync<TestItem>(Container, "counter", "counter", current => (current ?? new TestItem("counter")) with { Count = 1 });

        Assert.Equal(1, result!.Body.Count);
        Assert.Equal(1, (await Store.ReadAsync<TestItem>(Container, "counter", "counter"))!.Body.Count);
    }

    [Fact]
    public async Task OptimisticUpdate_ParallelIncrements_LoseNoUpdate()
    {
        const int writers = 8;
        const int incrementsPerWriter = 25;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < incrementsPerWriter; i++)
            {
                await Store.UpdateAsync<TestItem>(Container, "counter", "counter",
                    current => current is null ? new TestItem("counter", 1) : current with { Count = current.Count + 1 });
            }
        })));

        Assert.Equal(writers * incrementsPerWriter, (await Store.ReadAsync<TestItem>(Container, "counter", "counter"))!.Body.Count);
    }

    [Fact]
    public async Task OptimisticUpdate_WhenMutateReturnsNull_WritesNothing()
    {
        var created = await Store.CreateAsync(Container, "a", "a", new TestItem("v1"));
        var feed = await Store.ReadChangeFeedAsync<TestItem>(Container, null, 100);

        var result = await Store.UpdateAsync<TestItem>(Container, "a", "a", _ => null);
        var missing = await Store.UpdateAsync<TestItem>(Container, "absent", "absent", _ => null);

        Assert.Equal(created.ETag, result!.ETag);
        Assert.Equal("v1", result.Body.Label);
        Assert.Null(missing);
        Assert.Null(await Store.ReadAsync<TestItem>(Container, "absent", "absent"));
        Assert.Equal(created.ETag, (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.ETag);
        Assert.Empty((await Store.ReadChangeFeedAsync<TestItem>(Container, feed.Continuation, 100)).Documents);
    }

    [Fact]
    public async Task OptimisticUpdate_PassesTheCurrentBodyToMutate()
    {
        await Store.CreateAsync(Container, "a", "a", new TestItem("v1", 41));

        var result = await Store.UpdateAsync<TestItem>(Container, "a", "a", current => current! with { Label = "v2", Count = current.Count + 1 });

        Assert.Equal(new TestItem("v2", 42), result!.Body);
        Assert.Equal(result.ETag, (await Store.ReadAsync<TestItem>(Container, "a", "a"))!.ETag);
    }
}
