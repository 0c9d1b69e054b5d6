using CustomerValue.Domain.Profiles;
using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

/// <summary>The reader tags the orders of rows that name someone with the import and the record (PosExportReader.AppliedBy).</summary>
public sealed class AppliedByTests
{
    private const string Csv = """
        transaction_id,timestamp,total,currency,store_id,customer_id,email,phone
        T-1,2025-01-05T10:00:00Z,10.00,EUR,store-7,991,,
        T-2,2025-01-05T11:00:00Z,12.00,EUR,store-7,,,
        T-3,2025-01-05T12:00:00Z,13.00,EUR,store-7,,ann@example.com,
        T-4,2025-01-05T13:00:00Z,14.00,EUR,store-7,,,+49 170 0000001
        """;

    [Fact]
    public async Task WithATag_EachNamedRowsOrderCarriesTagAndRecord_AnonymousOnesNone()
    {
        var rows = await ReadAsync(new PosExportReader { AppliedBy = "imp-1" });

        Assert.Equal(["imp-1#1", null, "imp-1#3", "imp-1#4"], rows.Select(r => r.Order!.AppliedBy));
        Assert.All(rows.Where(r => r.Activity is not null), r => Assert.Same(r.Order, r.Activity!.Order));
        Assert.Equal(PosRowStatus.Anonymous, rows[1].Status);
    }

    [Fact]
    public async Task WithoutATag_NoOrderCarriesOne_AndEachRowHasItsOwnIdentities()
    {
        var rows = await ReadAsync(new PosExportReader());

        Assert.All(rows, r => Assert.Null(r.Order!.AppliedBy));
        // One identity builder serves every row: nothing of a row is left in the next one's identities.
        Assert.Equal(["pos:generic:991"], rows[0].Activity!.Identities.SourceCustomerIds);
        Assert.Empty(rows[0].Activity!.Identities.Emails);
        Assert.Equal((0, 1, 0), Counts(rows[2].Activity!.Identities));
        Assert.Equal((0, 0, 1), Counts(rows[3].Activity!.Identities));
    }

    private static (int Ids, int Emails, int Phones) Counts(RawIdentities identities) =>
        (identities.SourceCustomerIds.Count, identities.Emails.Count, identities.Phones.Count);

    private static async Task<List<PosRowResult>> ReadAsync(PosExportReader reader)
    {
        var rows = new List<PosRowResult>();
        await foreach (var row in reader.ReadAsync(new MemoryStream(Fixture.Utf8(Csv)), PosLayouts.Generic))
        {
            rows.Add(row);
        }

        return rows;
    }
}
