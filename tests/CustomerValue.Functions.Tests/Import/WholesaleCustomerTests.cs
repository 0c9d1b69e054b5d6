using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Functions.Functions;
using CustomerValue.Functions.Functions.GetProfile;
using CustomerValue.Functions.Functions.ListProfileOrders;
using CustomerValue.Identity.Profiles;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Embedded;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerValue.Functions.Tests.Import;

/// <summary>
/// A wholesale customer with 50,000 orders in one POS file: the profile keeps what the orders add up to, not the orders,
/// so its document stays small (Cosmos DB refuses documents over 2 MB), and the APIs still answer everything.
/// </summary>
public sealed class WholesaleCustomerTests : IDisposable
{
    private const int Orders = 50_000;
    private const int ProfileLimitBytes = 64 * 1024;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cv-wholesale-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    [Trait("Category", "Slow")] // 50,000 rows imported
    public async Task Import_FiftyThousandOrdersOfOnePerson_KeepsTheProfileSmall_AndTheApisAnswerEverything()
    {
        var inbox = Path.Combine(_folder, "pos-exports");
        Directory.CreateDirectory(inbox);
        var (gross, refunded, first, last) = WriteExport(Path.Combine(inbox, "wholesale.csv"));
        using var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();

        var report = await ImportHarness.Importer(new FolderPosExportStorage(inbox), store).ImportAsync("wholesale.csv", CancellationToken.None);

        Assert.Equal((Orders, Orders), (report!.Read, report.Accepted));
        var queries = new ProfileQueries(new ProfileRepository(store), new IdentityLinkIndex(store, IdentityLookupIds.FromText(new string('k', IdentityLookupIds.MinKeyBytes))));
        var id = (await queries.FindByIdentityAsync(new IdentityKey(IdentityKind.SourceCustomer, "pos:generic:W-1")))!.Id;
        var raw = await store.ReadAsync<JsonObject>(ContainerNames.Profiles, id, id);
        var bytes = Encoding.UTF8.GetByteCount(raw!.Body.ToJsonString());
        Assert.InRange(bytes, 1, ProfileLimitBytes);

        var answer = Assert.IsType<JsonHttpResult<CustomerProfile>>((await GetProfileFunction.HandleAsync(id, queries, CancellationToken.None)).Result);
        var json = JsonSerializer.SerializeToElement(answer.Value, DocumentJson.Options);
        Assert.Equal(Orders - Orders / 10, json.GetProperty("orders").GetInt32());
        Assert.Equal(gross, json.GetProperty("grossRevenue").GetDecimal());
        Assert.Equal(refunded, json.GetProperty("refunds").GetDecimal());
        Assert.Equal(gross - refunded, json.GetProperty("netRevenue").GetDecimal());
        Assert.Equal(first, json.GetProperty("firstOrderAt").GetDateTimeOffset());
        Assert.Equal(last, json.GetProperty("lastOrderAt").GetDateTimeOffset());
        Assert.Equal(["store"], json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var pageGross = 0m;
        string? continuation = null;
        do
        {
            var page = Assert.IsType<JsonHttpResult<ProfileOrdersPage>>((await ListProfileOrdersFunction.HandleAsync(id, ListProfileOrdersFunction.MaxLimit, continuation, queries, CancellationToken.None)).Result).Value!;
            Assert.InRange(page.Orders.Count, 0, ListProfileOrdersFunction.MaxLimit);
            foreach (var order in page.Orders)
            {
                Assert.True(keys.Add(order.OrderKey));
                pageGross += order.Gross;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);

        Assert.Equal(Orders, keys.Count);
        Assert.Equal(gross, pageGross);
    }

    [Fact]
    public async Task ListOrders_WithABadLimitOrContinuation_Is400_AndAnUnknownProfile404()
    {
        using var store = new SqliteDocumentStore(Path.Combine(_folder, "store.db"));
        await store.InitializeAsync();
        var queries = new ProfileQueries(new ProfileRepository(store), new IdentityLinkIndex(store, IdentityLookupIds.FromText(new string('k', IdentityLookupIds.MinKeyBytes))));

        Assert.IsType<BadRequest<ApiError>>((await ListProfileOrdersFunction.HandleAsync("cp-1", 0, null, queries, CancellationToken.None)).Result);
        Assert.IsType<BadRequest<ApiError>>((await ListProfileOrdersFunction.HandleAsync("cp-1", 10, "not base64url!", queries, CancellationToken.None)).Result);
        Assert.IsType<NotFound<ApiError>>((await ListProfileOrdersFunction.HandleAsync("cp-1", 10, null, queries, CancellationToken.None)).Result);
    }

    [Fact]
    public void OrdersAnswer_SpellsOutTheFieldsTheStoredDocumentLeavesAtTheirDefault()
    {
        var order = new OrderRecord { OrderKey = "pos:generic:tx:1", PlacedAt = DateTimeOffset.UnixEpoch, VersionAt = DateTimeOffset.UnixEpoch, Gross = 12m };

        var stored = JsonSerializer.SerializeToElement(order, DocumentJson.Options);
        var answered = JsonSerializer.SerializeToElement(new ProfileOrdersPage("cp-1", [order], null), DocumentJson.ApiOptions).GetProperty("orders")[0];

        Assert.False(stored.TryGetProperty("kind", out _));
        Assert.Equal("sale", answered.GetProperty("kind").GetString());
        Assert.Equal(0m, answered.GetProperty("refunded").GetDecimal());
        Assert.Equal(order, answered.Deserialize<OrderRecord>(DocumentJson.Options));
    }

    /// <summary>50,000 sales over two years, every tenth a return; returns the expected gross, refunds and first/last sale.</summary>
    private static (decimal Gross, decimal Refunded, DateTimeOffset First, DateTimeOffset Last) WriteExport(string path)
    {
        var text = new StringBuilder("transaction_id,timestamp,type,total,store_id,customer_id\n");
        var start = new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero);
        decimal gross = 0m, refunded = 0m;
        DateTimeOffset? first = null, last = null;
        for (var i = 0; i < Orders; i++)
        {
            var at = start.AddMinutes(i * 21);
            var isReturn = i % 10 == 9;
            var total = 10m + i % 97;
            text.Append(CultureInfo.InvariantCulture, $"W{i},{at:yyyy-MM-ddTHH:mm:ssZ},{(isReturn ? "return" : "sale")},{total}.50,store-{i % 7},W-1\n");
            if (isReturn)
            {
                refunded += total + 0.5m;
            }
            else
            {
                gross += total + 0.5m;
                first ??= at;
                last = at;
            }
        }

        File.WriteAllText(path, text.ToString());
        return (gross, refunded, first!.Value, last!.Value);
    }
}
