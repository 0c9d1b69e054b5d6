using CustomerValue.Domain.Profiles;
using CustomerValue.Domain.Segments;
using CustomerValue.Models.Simulation;
using CustomerValue.Testing;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Scoring;
using Microsoft.Extensions.Logging.Abstractions;
using static CustomerValue.Testing.Records;

namespace CustomerValue.Segmentation.Tests;

/// <summary>The recompute with enough repeat buyers: BG/NBD + Gamma-Gamma values every buyer and the tiers follow them.</summary>
public sealed class ModelValuationTests : IAsyncLifetime
{
    private const string Run = "run-20240601T030000Z";
    private ResolverHarness _p = null!;

    public async Task InitializeAsync()
    {
        _p = await ResolverHarness.CreateAsync();
        // A year of a simulated shop ending at the clock's "now": purchase timing and spend from the generative model.
        var start = _p.Clock.GetUtcNow().AddDays(-365);
        foreach (var customer in CustomerBaseSimulator.Simulate(300, 364, GenerativeParameters.ShopInDays, new Random(7)))
        {
            for (var n = 0; n < customer.Purchases.Count; n++)
            {
                var at = start.AddDays(customer.Purchases[n].Time);
                await _p.ApplyKnownAsync(Activity(email: $"c{customer.Index}@example.com", order: new OrderRecord
                {
                    OrderKey = $"o-{customer.Index}-{n}",
                    PlacedAt = at,
                    VersionAt = at,
                    Gross = decimal.Round((decimal)customer.Purchases[n].Amount, 2),
                }));
            }
        }
    }

    public async Task DisposeAsync() => await _p.DisposeAsync();

    [Fact]
    public async Task Recompute_PutsModelPredictionsOnEveryBuyer_AndRecordsTheFits()
    {
        var recompute = new CustomerValueRecompute(_p.Store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);

        var run = await recompute.RunAsync(Run);

        Assert.NotNull(run.Model);
        // The holdout comparison chose the repeat-purchase model, recorded it, and that model values everyone.
        var comparison = Assert.IsType<ModelChoiceSummary>(run.Model.Comparison);
        Assert.Equal(["bgnbd", "paretonbd", "mbgnbd"], comparison.Models.Select(m => m.Model));
        Assert.All(comparison.Models, m => Assert.True(m.MeanAbsoluteError >= 0, m.Model));
        Assert.NotEmpty(comparison.CalibrationTable);
        Assert.Equal(comparison.Winner + "+gammagamma", run.Method);
        Assert.Equal([comparison.Winner, "gammagamma"], run.Model.Fits.Select(f => f.Model));
        Assert.False(run.Model.InsufficientData);
        Assert.All(run.Model.Fits, f => Assert.True(f.Converged, f.Status));
        Assert.InRange(run.Model.Fits[0].Parameters["r"], 0.05, 2);
        Assert.NotNull(run.Model.Fits[0].StandardErrors);
        var profiles = await _p.LiveProfilesAsync();
        Assert.Equal(300, profiles.Count);
        Assert.All(profiles, p =>
        {
            var value = Assert.IsType<CustomerValueScore>(p.Value);
            Assert.Equal(run.Method, value.Method);
            Assert.InRange(value.PAlive!.Value, 0, 1);
            Assert.InRange(value.ProbabilityTop20!.Value, 0, 1);
            Assert.True(value.PredictedClvLow <= value.PredictedClv * 1.0001m + 0.01m && value.PredictedClv <= value.PredictedClvHigh * 1.0001m + 0.01m,
                $"{value.PredictedClvLow} <= {value.PredictedClv} <= {value.PredictedClvHigh}");
            Assert.True(value.ExpectedPurchases >= 0);
            Assert.True(value.PredictedClv >= 0);
            Assert.Equal(value.PredictedClv, value.RankingValue);
            Assert.Equal(p.NetRevenue, value.HistoricClv);
        });
        Assert.Contains(profiles, p => p.Value!.ExpectedNextOrderAt > _p.Clock.GetUtcNow());
        // Anchored at the last order: a repeat buyer's next order is never before their last one.
        Assert.All(profiles.Where(p => p.Orders > 1), p => Assert.True(p.Value!.ExpectedNextOrderAt >= p.LastOrderAt!.Value.Date, p.Id));
    }

    [Fact]
    public async Task SecondRun_RecordsParameterDriftAgainstTheFirst()
    {
        var recompute = new CustomerValueRecompute(_p.Store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);

        await recompute.RunAsync(Run);
        _p.Clock.Advance(TimeSpan.FromDays(1));
        var second = await recompute.RunAsync("run-20240602T030000Z");

        var drift = Assert.IsAssignableFrom<IReadOnlyDictionary<string, double>>(second.Model!.ParameterDrift);
        Assert.Contains("r", drift.Keys);
        Assert.All(drift.Values, d => Assert.True(double.IsFinite(d)));
    }

    [Fact]
    public async Task Tiers_RankByPredictedValue()
    {
        var recompute = new CustomerValueRecompute(_p.Store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance);

        await recompute.RunAsync(Run);

        var profiles = await _p.LiveProfilesAsync();
        var top = profiles.Where(p => p.Segments.Contains(SegmentNames.Top20)).Select(p => p.Value!.PredictedClv).ToList();
        var middle = profiles.Where(p => p.Segments.Contains(SegmentNames.Middle60)).Select(p => p.Value!.PredictedClv).ToList();
        var bottom = profiles.Where(p => p.Segments.Contains(SegmentNames.Bottom20)).Select(p => p.Value!.PredictedClv).ToList();
        // Ranked by predicted profit in fifths; customers tied at a threshold join the better tier, so the shares are near 20/60/20.
        Assert.Equal(300, top.Count + middle.Count + bottom.Count);
        Assert.InRange(top.Count, 60, 66);
        Assert.InRange(bottom.Count, 54, 62);
        Assert.True(top.Min() >= middle.Max());
        Assert.True(middle.Min() >= bottom.Max());
    }

    [Fact]
    public async Task CustomerWhoReturnsEverything_IsWorthLessThanTheSamePurchasesKept()
    {
        var now = _p.Clock.GetUtcNow();
        for (var n = 0; n < 6; n++)
        {
            var at = now.AddDays(-300 + (n * 50));
            await _p.ApplyKnownAsync(Activity(email: "keeper@example.com", order: new OrderRecord { OrderKey = $"k-{n}", PlacedAt = at, VersionAt = at, Gross = 100m }));
            await _p.ApplyKnownAsync(Activity(email: "returner@example.com", order: new OrderRecord { OrderKey = $"r-{n}", PlacedAt = at, VersionAt = at, Gross = 100m, Refunded = 80m }));
        }

        await new CustomerValueRecompute(_p.Store, _p.Clock, NullLogger<CustomerValueRecompute>.Instance).RunAsync(Run);

        var keeper = (await _p.ProfileByEmailAsync("keeper@example.com"))!.Value!;
        var returner = (await _p.ProfileByEmailAsync("returner@example.com"))!.Value!;
        Assert.True(returner.PredictedClv < keeper.PredictedClv / 2, $"{returner.PredictedClv} vs {keeper.PredictedClv}");
        Assert.Equal(0.8, returner.ReturnRate, 3);
    }
}
