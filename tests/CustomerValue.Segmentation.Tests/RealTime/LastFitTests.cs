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

    /// <summary>
    /// A run whose repeat-purchase fit ran off to a boundary is recorded with that limit; the real-time rescore of every
    /// webhook after it rebuilds the limit model, and each must time and value a buyer (once the Pareto/NBD limit of a
    /// constant drop-out rate failed every webhook with a 500 until the next run).
    /// </summary>
    [Theory]
    [InlineData("bgnbd", "constantDropoutProbability", "p", 0.1)]
    [InlineData("mbgnbd", "constantDropoutProbability", "p", 0.1)]
    [InlineData("paretonbd", "constantDropoutRate", "mu", 0.01)]
    [InlineData("paretonbd", "noDropout", "s", 1e-9)]
    public void Score_AfterARunFittedAtABoundaryLimit_ValuesTheBuyerWithThatLimit(string model, string limit, string parameter, double value)
    {
        var parameters = new Dictionary<string, double> { ["r"] = 0.5, ["alpha"] = 10, [parameter] = value };
        if (limit == "noDropout")
        {
            parameters["beta"] = 1;
        }

        var run = new RecomputeRun
        {
            Id = "run-20240601T120000Z",
            StartedAt = Now,
            FinishedAt = Now,
            Method = model + "+gammagamma",
            Profiles = 1,
            Ranked = 1,
            Written = 1,
            SegmentChanges = 0,
            Segments = [],
            Model = new Scoring.ModelRunSummary(model + "+gammagamma", 400, 120,
                [
                    new Scoring.ModelFitSummary(model, parameters, "Converged", true, -1000, 20, 400, 0.1) { Limit = limit },
                    new Scoring.ModelFitSummary("gammagamma", new Dictionary<string, double> { ["p"] = 6.25, ["q"] = 3.74, ["v"] = 15.44 }, "Converged", true, -500, 20, 120, 0.1),
                ], null) { ShopMedianGap = 30 },
        };
        var profile = new CustomerProfile { Id = "cp-buyer", CreatedAt = Now.AddYears(-1), UpdatedAt = Now };
        profile.OrderTotals = OrderTotals.Of(Enumerable.Range(0, 4).Select(i => new OrderRecord
        {
            OrderKey = $"o{i}", PlacedAt = Now.AddDays(-20 - (40 * i)), VersionAt = Now.AddDays(-20 - (40 * i)), Gross = 50m,
        }));

        var fit = LastFit.Of(run);
        var score = fit.Score(profile, Now);

        Assert.True(fit.IsModelled);
        Assert.Equal(run.Model.Method, score.Method);
        Assert.InRange(score.PAlive!.Value, 0, 1);
        Assert.True(score.PredictedClv > 0);
        Assert.NotNull(score.ExpectedNextOrderAt);
    }
}
