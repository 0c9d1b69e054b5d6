using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.RealTime;
using CustomerValue.Storage.Documents;
using CustomerValue.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace CustomerValue.Segmentation.Tests.RealTime;

/// <summary>The last fit, rebuilt from a run record, values an unchanged customer exactly as the run did.</summary>
public sealed class LastFitTests
{
    private static readonly DateTimeOffset Now = FakeClock.Start;

    [Fact]
    public async Task Score_OfAnUnchangedProfileOnTheRunsDay_EqualsTheRunsValue()
    {
        await using var temp = await TempStore.CreateAsync();
        var random = new Random(7);
        for (var c = 0; c < 120; c++)
        {
            var profile = new CustomerProfile { Id = $"cp-{c:D3}", CreatedAt = Now.AddYears(-2), UpdatedAt = Now };
            var orders = new List<OrderRecord>();
            for (var o = 1 + random.Next(6); o > 0; o--)
            {
                var days = random.Next(1, 500);
                orders.Add(new OrderRecord { OrderKey = $"{profile.Id}-{o}", PlacedAt = Now.AddDays(-days), VersionAt = Now.AddDays(-days), Gross = 10m + random.Next(200) });
            }

            profile.OrderTotals = OrderTotals.Of(orders);

            await temp.Store.UpsertAsync(ContainerNames.Profiles, profile.Id, profile.Id, profile);
        }

        var run = await new CustomerValueRecompute(temp.Store, new FakeClock(Now), NullLogger<CustomerValueRecompute>.Instance).RunAsync("run-20240601T120000Z");
        var fit = LastFit.Of(run);

        Assert.True(fit.IsModelled, run.Model?.Note);
        Assert.NotNull(run.Model!.ShopMedianGap);
        await foreach (var document in temp.Store.ScanAsync<CustomerProfile>(ContainerNames.Profiles))
        {
            var stored = document.Body.Value!;
            var rescored = fit.Score(document.Body, Now);
            Assert.Equal(stored.PredictedClv, rescored.PredictedClv);
            Assert.Equal(stored.PAlive, rescored.PAlive);
            Assert.Equal(stored.ExpectedPurchases, rescored.ExpectedPurchases);
            Assert.Equal(stored.ExpectedNextOrderAt, rescored.ExpectedNextOrderAt);
            Assert.Equal(stored.Method, rescored.Method);
            Assert.Null(rescored.PredictedClvLow);
        }
    }
}
