using CustomerValue.Cli.Demo;
using Microsoft.Playwright;

namespace CustomerValue.Dashboard.Tests.Browser;

/// <summary>
/// The demo, in-process: a small synthetic shop pushed through the real entry points onto a fresh data folder, the
/// server left serving on a free port, and headless Chromium pointed at it. Shared by every browser test.
/// </summary>
public sealed class DemoShopFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Customers in the test shop: enough for the models to fit, few enough to load in seconds.</summary>
    public const int Customers = 400;

    private readonly CancellationTokenSource _stop = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "cv-dashboard-" + Guid.NewGuid().ToString("N"));
    private Task<int>? _demo;
    private IPlaywright? _playwright;

    /// <summary>The server's address.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>A client for the JSON APIs the pages must agree with.</summary>
    public HttpClient Api { get; private set; } = default!;

    /// <summary>The demo's top customers as it printed them (profile ids), most valuable first.</summary>
    public IReadOnlyList<string> TopCustomers { get; private set; } = [];

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Where screenshots go (kept after the run as artifacts).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var install = SystemChromium.EnsureInstalledAsync();
        var output = new SignallingWriter("Dashboard: ");
        var runner = new DemoRunner(new DemoOptions(Customers, 7, _dataDir, "http://127.0.0.1:0", Exit: false));
        _demo = Task.Run(() => runner.RunAsync(output, _stop.Token));
        var ready = await Task.WhenAny(output.Line, _demo, Task.Delay(TimeSpan.FromMinutes(5)));
        if (ready != output.Line)
        {
            throw new InvalidOperationException("The demo did not reach its dashboard line:\n" + output, _demo.Exception);
        }

        BaseAddress = new Uri((await output.Line)["Dashboard: ".Length..].Trim());
        TopCustomers = [.. System.Text.RegularExpressions.Regex.Matches(output.ToString(), @"^\s+(cp-[0-9a-f]+)\s", System.Text.RegularExpressions.RegexOptions.Multiline).Select(m => m.Groups[1].Value)];
        Api = new HttpClient { BaseAddress = BaseAddress };
        await install;
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SystemChromium.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new page in a fresh context of the given viewport width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        await _stop.CancelAsync();
        if (_demo is not null)
        {
            try
            {
                await _demo;
            }
            catch (OperationCanceledException)
            {
                // stopped on purpose
            }
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file; the temp folder is cleaned by the OS.
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    /// <summary>Collects the demo's output and completes when a line starts with a prefix.</summary>
    private sealed class SignallingWriter(string prefix) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        private readonly TaskCompletionSource<string> _line = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Line => _line.Task;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
            {
                _line.TrySetResult(value);
            }
        }
    }
}

/// <summary>The browser tests share one demo shop.</summary>
[CollectionDefinition(Name)]
public sealed class DemoShopCollection : ICollectionFixture<DemoShopFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "demo shop";
}
