using CustomerValue.Domain.Profiles;

namespace CustomerValue.Domain.Tests;

public sealed class OrderVersionMergeTests
{
    private const string Key = "shopify:example-shop:order:1";
    private static readonly DateTimeOffset T0 = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static OrderRecord Order(int minutes, params OrderRefund[] refunds) => new()
    {
        OrderKey = Key,
        PlacedAt = T0,
        VersionAt = T0.AddMinutes(minutes),
        Gross = 100m,
        Refunded = refunds.Sum(r => r.Amount),
        Refunds = refunds,
        Currency = "EUR",
    };

    private static OrderRecord RefundOnly(OrderRefund refund) => new()
    {
        OrderKey = Key,
        Kind = OrderKind.Return,
        IsRefundOnly = true,
        PlacedAt = refund.RefundedAt,
        VersionAt = refund.RefundedAt,
        Refunded = refund.Amount,
        Refunds = [refund],
        Currency = "EUR",
    };

    private static readonly OrderRefund R1 = new("r1", 20m, T0.AddMinutes(30));
    private static readonly OrderRefund R2 = new("r2", 5m, T0.AddMinutes(40));

    [Fact]
    public void RefundThenTheOrderVersionThatIncludesIt_CountsTheRefundOnce()
    {
        var held = OrderVersionMerge.Merge(null, RefundOnly(R1))!;
        var merged = OrderVersionMerge.Merge(held, Order(31, R1))!;
        Assert.False(merged.IsRefundOnly);
        Assert.Equal((100m, 20m), (merged.Gross, merged.Refunded));
    }

    [Fact]
    public void RefundBeforeAnOlderOrderVersion_KeepsBothTheOrderAndTheRefund()
    {
        var held = RefundOnly(R1);
        var merged = OrderVersionMerge.Merge(held, Order(0))!;
        Assert.Equal((100m, 20m, OrderKind.Sale), (merged.Gross, merged.Refunded, merged.Kind));
    }

    [Fact]
    public void RefundAfterTheOrder_IsAddedWithoutChangingTheVersion()
    {
        var merged = OrderVersionMerge.Merge(Order(0), RefundOnly(R1))!;
        Assert.Equal((100m, 20m, T0), (merged.Gross, merged.Refunded, merged.VersionAt));
    }

    [Fact]
    public void SameRefundDeliveredTwice_ChangesNothing()
    {
        var held = OrderVersionMerge.Merge(Order(0), RefundOnly(R1))!;
        Assert.Null(OrderVersionMerge.Merge(held, RefundOnly(R1)));
        Assert.Null(OrderVersionMerge.Merge(Order(31, R1), RefundOnly(R1)));
    }

    [Fact]
    public void NewerVersionMissingARefundAlreadyHeld_KeepsThatRefund()
    {
        var held = OrderVersionMerge.Merge(Order(31, R1), RefundOnly(R2))!;
        var merged = OrderVersionMerge.Merge(held, Order(35, R1))!;
        Assert.Equal(25m, merged.Refunded);
        Assert.Equal(["r1", "r2"], merged.Refunds!.Select(r => r.RefundId));
    }

    [Fact]
    public void OlderFullVersion_ChangesNothing()
    {
        Assert.Null(OrderVersionMerge.Merge(Order(10, R1), Order(5)));
        Assert.Null(OrderVersionMerge.Merge(Order(10), Order(10)));
    }

    [Fact]
    public void TwoRefundsBeforeTheOrder_AreBothKept()
    {
        var held = OrderVersionMerge.Merge(RefundOnly(R1), RefundOnly(R2))!;
        Assert.True(held.IsRefundOnly);
        Assert.Equal(25m, held.Refunded);
        Assert.Equal(25m, OrderVersionMerge.Merge(held, Order(0))!.Refunded);
    }

    [Fact]
    public void RefundOnlyInAnotherCurrency_WaitsForTheOrderVersionThatConvertsIt()
    {
        var foreign = RefundOnly(R2) with { Currency = "USD" };
        Assert.Null(OrderVersionMerge.Merge(Order(0), foreign));

        var converted = OrderVersionMerge.Merge(Order(0), Order(45, R2 with { Amount = 4.60m }))!;
        Assert.Equal(4.60m, converted.Refunded);
    }
}
