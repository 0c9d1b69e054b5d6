using CustomerValue.Ingestion.PosExports;

namespace CustomerValue.Ingestion.Tests.PosExports;

public sealed class MaximumAmountTests
{
    [Fact]
    public async Task AmountsAboveTheMaximum_AreQuarantined_AndTheRestImports()
    {
        const string Csv = """
            transaction_id,timestamp,total,tax,customer_id
            M-1,2025-04-01T10:00:00Z,79228162514264337593543950335,,1
            M-2,2025-04-01T10:00:00Z,792281625142643375935439503350,,1
            M-3,2025-04-01T10:00:00Z,1000000000.01,,1
            M-4,2025-04-01T10:00:00Z,1,79228162514264337593543950335,1
            M-5,2025-04-01T10:00:00Z,"1,000,000,000.00",,1
            """;
        var rows = await PosRead.TextAsync(Csv, PosLayouts.Generic with { Columns = PosLayouts.Generic.Columns with { Tax = "tax" } });

        Assert.Equal(
            [
                (PosRowStatus.Quarantined, "total"), (PosRowStatus.Quarantined, "total"), (PosRowStatus.Quarantined, "total"),
                (PosRowStatus.Quarantined, "tax"), (PosRowStatus.Imported, (string?)null),
            ],
            rows.Select(r => (r.Status, r.Column)));
        Assert.Equal("the total ('999999999999999999999999…') is more than 1,000,000,000, the most one order may carry", rows[0].Reason);
        Assert.Equal("the total ('9999999999.99') is more than 1,000,000,000, the most one order may carry", rows[2].Reason);
        Assert.Equal(1_000_000_000m, rows[4].Order!.Gross);
    }

    [Fact]
    public async Task QuantityTimesPrice_NeverOverflows_AndIsHeldToTheMaximum()
    {
        var layout = PosLayouts.Generic with
        {
            Amount = PosAmountRule.QuantityTimesUnitPrice,
            Columns = PosLayouts.Generic.Columns with { Total = null, Quantity = "qty", UnitPrice = "price" },
        };
        const string Csv = """
            transaction_id,timestamp,qty,price,customer_id
            Q-1,2025-04-01T10:00:00Z,79228162514264337593543950335,2,1
            Q-2,2025-04-01T10:00:00Z,100000,100000,1
            Q-3,2025-04-01T10:00:00Z,3,2.50,1
            """;
        var rows = await PosRead.TextAsync(Csv, layout);

        Assert.Equal(
            [(PosRowStatus.Quarantined, "qty"), (PosRowStatus.Quarantined, "qty"), (PosRowStatus.Imported, (string?)null)],
            rows.Select(r => (r.Status, r.Column)));
        Assert.Equal("quantity × unit price is more than 1,000,000,000, the most one order may carry", rows[1].Reason);
        Assert.Equal(7.50m, rows[2].Order!.Gross);
    }
}
