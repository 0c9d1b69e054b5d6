using CustomerValue.Domain.Profiles;
using CustomerValue.Publishing.Holdouts;

namespace CustomerValue.Publishing.Tests.Guidance;

public sealed class HoldoutReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static CustomerProfile Member(string id, decimal spent, int daysAgo) => new()
    {
        Id = id,
        Segments = ["top-20"],
        OrderTotals = OrderTotals.Of([new OrderRecord { OrderKey = "o-" + id, PlacedAt = Now.AddDays(-daysAgo), VersionAt = Now.AddDays(-daysAgo), Gross = spent }]),
    };

    [Fact]
    public void TreatedAndHoldout_AreComparedPerMember_WithAnIntervalAroundTheDifference()
    {
        var policy = new HoldoutPolicy(new Dictionary<string, double> { ["top-20"] = 0.5 });
        var members = Enumerable.Range(0, 400).Select(i => $"cp-{i}").ToList();
        // Treated members spend 100 in the last 30 days, held-out ones 60: an incremental 40 per member.
        var profiles = members.Select(id => Member(id, policy.IsHeldOut(id, "top-20") ? 60m : 100m, daysAgo: 10)).ToList();

        var report = Assert.Single(HoldoutReport.Compute(profiles, policy, Now));

        var month = report.Windows.Single(w => w.Days == 30);
        Assert.Equal(400, month.Treated + month.Holdout);
        Assert.Equal(100m, month.TreatedRevenuePerMember);
        Assert.Equal(60m, month.HoldoutRevenuePerMember);
        Assert.Equal(40m, month.IncrementalRevenuePerMember);
        Assert.Equal(40m, month.Low); // no variance within each group
        Assert.Equal(1.0, month.TreatedOrdersPerMember);
    }

    [Fact]
    public void OrdersOutsideTheWindow_DoNotCount()
    {
        var policy = new HoldoutPolicy(new Dictionary<string, double> { ["top-20"] = 0.5 });
        var profiles = Enumerable.Range(0, 50).Select(i => Member($"cp-{i}", 100m, daysAgo: 60)).ToList();

        var report = Assert.Single(HoldoutReport.Compute(profiles, policy, Now));

        Assert.Equal(0m, report.Windows.Single(w => w.Days == 30).TreatedRevenuePerMember);
        Assert.Equal(100m, report.Windows.Single(w => w.Days == 90).TreatedRevenuePerMember);
    }
}
