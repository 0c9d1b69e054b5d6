using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;

namespace CustomerValue.Dashboard.Tests.Browser;

/// <summary>
/// The real pages in headless Chromium against the demo shop: every page opens, its key figures equal the JSON APIs',
/// a customer is found by e-mail and erased through the confirmation form, and each page is saved as a screenshot
/// (bin/…/screenshots) at desktop and phone width.
/// </summary>
[Collection(DemoShopCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DashboardPagesTests(DemoShopFixture shop)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "overview", "/api/dashboard/" },
        { "segments", "/api/dashboard/segments" },
        { "migrations", "/api/dashboard/migrations" },
        { "channels", "/api/dashboard/channels" },
        { "model-health", "/api/dashboard/model" },
        { "customer-search", "/api/dashboard/customers" },
        { "destinations", "/api/dashboard/destinations" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryPage_Opens_WithOneHeading_AndFitsDesktopAndPhoneWidth(string name, string path)
    {
        foreach (var (width, suffix) in new[] { (1280, "desktop"), (390, "phone") })
        {
            var page = await shop.NewPageAsync(width);
            var response = await page.GotoAsync(path);

            Assert.Equal(200, response!.Status);
            Assert.Equal(1, await page.Locator("h1").CountAsync());
            Assert.Equal(1, await page.Locator("main").CountAsync());
            // Nothing wider than the viewport: wide tables scroll inside their own box.
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} overflows a {width} px viewport by {overflow} px");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DemoShopFixture.ScreenshotFolder, $"{name}-{suffix}.png"), FullPage = true });
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Overview_ShowsTheFiguresOfTheRunAndSegmentsApis()
    {
        using var run = JsonDocument.Parse(await shop.Api.GetStringAsync("/api/runs/latest"));
        using var segments = JsonDocument.Parse(await shop.Api.GetStringAsync("/api/segments"));
        var tiers = run.RootElement.GetProperty("segments").EnumerateArray().Where(s => s.GetProperty("name").GetString() is "top-20" or "middle-60" or "bottom-20").ToList();
        var page = await shop.NewPageAsync();

        await page.GotoAsync("/");

        Assert.EndsWith("/api/dashboard/", page.Url, StringComparison.Ordinal);
        Assert.Equal(run.RootElement.GetProperty("profiles").GetInt32().ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "customers"));
        Assert.Equal(run.RootElement.GetProperty("ranked").GetInt32().ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "buyers"));
        Assert.Equal(tiers.Sum(t => t.GetProperty("netRevenue").GetDecimal()).ToString("N2", CultureInfo.InvariantCulture), await Figure(page, "net-revenue"));
        Assert.Equal(run.RootElement.GetProperty("id").GetString(), await Figure(page, "run-id"));
        foreach (var segment in segments.RootElement.EnumerateArray())
        {
            Assert.Equal(segment.GetProperty("size").GetInt32().ToString("N0", CultureInfo.InvariantCulture),
                (await page.Locator($"[data-segment-size='{segment.GetProperty("name").GetString()}']").InnerTextAsync()).Trim());
        }
    }

    [Fact]
    public async Task Customer_FoundByEmail_ShowsTheProfileApisFigures()
    {
        var id = shop.TopCustomers[0];
        using var profile = JsonDocument.Parse(await shop.Api.GetStringAsync($"/api/profiles/{id}"));
        var email = profile.RootElement.GetProperty("emails")[0].GetString()!;
        var value = profile.RootElement.GetProperty("value");
        var page = await shop.NewPageAsync();
        await page.GotoAsync("/api/dashboard/customers");

        // Typed with different case and spaces, as a person would: the search normalizes as the API does.
        await page.GetByLabel("E-mail, phone, profile id or source customer id").FillAsync("  " + email.ToUpperInvariant() + " ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();

        Assert.Equal(id, await Figure(page, "profile-id"));
        Assert.Equal(value.GetProperty("predictedClv").GetDecimal().ToString("N2", CultureInfo.InvariantCulture), await Figure(page, "predicted-clv"));
        Assert.Equal(value.GetProperty("pAlive").GetDouble().ToString("0.000", CultureInfo.InvariantCulture), await Figure(page, "p-alive"));
        using var orders = JsonDocument.Parse(await shop.Api.GetStringAsync($"/api/profiles/{id}/orders?limit=1000"));
        var sales = orders.RootElement.GetProperty("orders").EnumerateArray().Count(o => o.GetProperty("kind").GetString() == "sale" && !o.GetProperty("cancelled").GetBoolean());
        Assert.Equal(profile.RootElement.GetProperty("orders").GetInt32(), sales);
        Assert.Equal(sales.ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "orders"));
        foreach (var segment in profile.RootElement.GetProperty("segments").EnumerateArray())
        {
            Assert.Equal(1, await page.Locator($"[data-segment='{segment.GetString()}']").CountAsync());
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DemoShopFixture.ScreenshotFolder, "customer-desktop.png"), FullPage = true });
    }

    [Fact]
    public async Task Customer_ErasedThroughTheConfirmationForm_IsGoneFromTheApi()
    {
        var id = shop.TopCustomers[^1];
        var page = await shop.NewPageAsync();
        await page.GotoAsync($"/api/dashboard/customers/{id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Erase this customer…" }).ClickAsync();

        // A wrong confirmation erases nothing.
        await page.GetByLabel("Type the profile id").FillAsync("cp-not-this-one");
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();
        Assert.Contains("nothing was erased", await page.Locator("[role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        using (var still = await shop.Api.GetAsync($"/api/profiles/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        }

        await page.GetByLabel("Type the profile id").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase for good" }).ClickAsync();

        Assert.Contains("was erased", await page.Locator("[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        using var gone = await shop.Api.GetAsync($"/api/profiles/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Erase_PostedWithoutTheAntiforgeryToken_IsRefused()
    {
        var id = shop.TopCustomers[0];
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["confirm"] = id });

        using var response = await shop.Api.PostAsync($"/api/dashboard/customers/{id}/erase", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var still = await shop.Api.GetAsync($"/api/profiles/{id}");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task Segments_ShowTheApisSizes_AndLeadToTheMembersOfASegment()
    {
        using var segments = JsonDocument.Parse(await shop.Api.GetStringAsync("/api/segments"));
        var page = await shop.NewPageAsync();
        await page.GotoAsync("/api/dashboard/segments");
        foreach (var segment in segments.RootElement.EnumerateArray())
        {
            Assert.Equal(segment.GetProperty("size").GetInt32().ToString("N0", CultureInfo.InvariantCulture),
                (await page.Locator($"[data-segment-size='{segment.GetProperty("name").GetString()}']").InnerTextAsync()).Trim());
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "top-20", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Members of top-20" }).ClickAsync();

        var members = page.Locator("[data-member]");
        Assert.True(await members.CountAsync() > 0);
        var first = await members.First.GetAttributeAsync("data-member");
        using var profile = JsonDocument.Parse(await shop.Api.GetStringAsync($"/api/profiles/{first}"));
        Assert.Contains("top-20", profile.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetString()));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DemoShopFixture.ScreenshotFolder, "segment-members-desktop.png"), FullPage = true });
    }

    [Fact]
    public async Task ChannelsAndMigrations_ShowTheApisFigures()
    {
        using var channels = JsonDocument.Parse(await shop.Api.GetStringAsync("/api/channels"));
        using var migrations = JsonDocument.Parse(await shop.Api.GetStringAsync("/api/runs/latest/migrations"));
        var page = await shop.NewPageAsync();

        await page.GotoAsync("/api/dashboard/channels");
        foreach (var channel in channels.RootElement.GetProperty("channels").EnumerateArray())
        {
            var name = channel.GetProperty("channel").GetString();
            Assert.Equal(channel.GetProperty("customers").GetInt32().ToString("N0", CultureInfo.InvariantCulture),
                (await page.Locator($"[data-channel-customers='{name}']").InnerTextAsync()).Trim());
            Assert.Equal(channel.GetProperty("verdict").GetString(), (await page.Locator($"[data-verdict='{name}']").InnerTextAsync()).Trim());
        }

        await page.GotoAsync("/api/dashboard/migrations");
        Assert.Equal(migrations.RootElement.GetProperty("total").GetProperty("customers").GetInt32().ToString("N0", CultureInfo.InvariantCulture), await Figure(page, "total"));
    }

    [Fact]
    public async Task ModelHealth_DrawsTheCalibrationAndDistributionCharts_AsTitledImages()
    {
        var page = await shop.NewPageAsync();
        await page.GotoAsync("/api/dashboard/model");

        var charts = page.Locator("svg[role=img]");
        Assert.Equal(3, await charts.CountAsync());
        foreach (var chart in await charts.AllAsync())
        {
            Assert.False(string.IsNullOrWhiteSpace(await chart.GetAttributeAsync("aria-label")));
            Assert.True((await chart.BoundingBoxAsync())!.Width > 200);
        }
    }

    [Fact]
    public async Task Keyboard_FirstTabReachesTheSkipLink_ThenTheNavigation()
    {
        var page = await shop.NewPageAsync();
        await page.GotoAsync("/api/dashboard/");

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Overview", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
    }

    private static async Task<string> Figure(IPage page, string name) =>
        (await page.Locator($"[data-figure='{name}']").InnerTextAsync()).Trim();
}
