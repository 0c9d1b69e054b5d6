using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Testing;

namespace CustomerValue.Segmentation.Tests.Custom;

/// <summary>
/// The holdout shares the fan-out reads for every change-feed batch: always those of the current definitions, so a
/// control group is held out from the first change its segment produces.
/// </summary>
public sealed class CustomSegmentCatalogTests : IAsyncLifetime
{
    private TempStore _temp = null!;

    public async Task InitializeAsync() => _temp = await TempStore.CreateAsync();

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    private static CustomSegmentDefinition Definition(string name, double holdoutShare) =>
        new() { Name = name, Goal = "Bring store buyers back", Rule = "orders >= 1", HoldoutShare = holdoutShare };

    [Fact]
    public async Task HoldoutShares_FollowEverySave_WithoutDelay()
    {
        var catalog = new CustomSegmentCatalog(new CustomSegmentStore(_temp.Store), new SegmentOptions());
        Assert.Empty(await catalog.HoldoutSharesAsync());

        await catalog.Saved.SaveAsync(Definition("store-buyers", 0.5));
        Assert.Equal(0.5, (await catalog.HoldoutSharesAsync())["store-buyers"]);

        await catalog.Saved.SaveAsync(Definition("store-buyers", 0.1));
        await catalog.Saved.SaveAsync(Definition("no-control-group", 0));
        var shares = await catalog.HoldoutSharesAsync();
        Assert.Equal(0.1, shares["store-buyers"]);
        Assert.False(shares.ContainsKey("no-control-group"));
    }

    [Fact]
    public async Task HoldoutShares_OfTheDefinitionsFile_WinOverASavedDefinitionOfTheSameName()
    {
        var path = Path.Combine(_temp.Folder, "segments.json");
        await File.WriteAllTextAsync(path, """
            {"segments": [
              {"name": "store-buyers", "goal": "Bring store buyers back", "rule": "orders >= 1"},
              {"name": "big-spenders", "goal": "Keep them", "rule": "orders >= 1", "holdoutShare": 0.2}
            ]}
            """);
        var catalog = new CustomSegmentCatalog(new CustomSegmentStore(_temp.Store), new SegmentOptions { DefinitionsPath = path });
        await catalog.Saved.SaveAsync(Definition("store-buyers", 0.5));
        await catalog.Saved.SaveAsync(Definition("web-buyers", 0.3));

        var shares = await catalog.HoldoutSharesAsync();

        Assert.Equal(new Dictionary<string, double> { ["big-spenders"] = 0.2, ["web-buyers"] = 0.3 }, shares.OrderBy(s => s.Key).ToDictionary());
    }
}
