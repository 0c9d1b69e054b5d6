using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.Dashboard;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.Functions.IngestShopWebhook;
using CustomerValue.Functions.Functions.EraseProfile;
using CustomerValue.Functions.Functions.ExportProfile;
using CustomerValue.Functions.Functions.FindProfiles;
using CustomerValue.Functions.Functions.GetProfile;
using CustomerValue.Functions.Functions.ListProfileOrders;
using CustomerValue.Functions.Functions.ListSegments;
using CustomerValue.Functions.Functions.GetSegment;
using CustomerValue.Functions.Functions.GetSegmentMembers;
using CustomerValue.Functions.Functions.DefineCustomSegment;
using CustomerValue.Functions.Functions.DeleteCustomSegment;
using CustomerValue.Functions.Functions.GetRun;
using CustomerValue.Functions.Functions.GetTierMigrations;
using CustomerValue.Functions.Functions.GetChannelQuality;
using CustomerValue.Functions.Functions.PublishSegmentChanges;
using CustomerValue.Functions.Functions.DeliverSegmentChanges;
using CustomerValue.Functions.Functions.ListDestinations;
using CustomerValue.Functions.Functions.ReplayDestination;
using CustomerValue.Functions.Functions.GetGuidance;
using CustomerValue.Functions.Functions.RecomputeCustomerValue;
using CustomerValue.Functions.Host;

namespace CustomerValue.Functions;

/// <summary>Builds the handler server: configuration, services, and every function's route.</summary>
public static class ServerApp
{
    /// <summary>
    /// Builds the server. <paramref name="args"/> are ASP.NET Core arguments (e.g. <c>--urls</c>, default
    /// <see cref="ServerSettings.DefaultUrls"/>) and <c>--data-dir</c>;
    /// <paramref name="dataDir"/> overrides the configured data folder; <paramref name="configure"/> lets the demo
    /// and tests add settings, and <paramref name="configureServices"/>, run after the app's own registrations, lets
    /// them wrap a service (a test puts a fault-injecting layer around the store).
    /// </summary>
    public static WebApplication Build(string[] args, string? dataDir = null, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // `--data-dir DIR` on the command line is the DataDir setting.
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--data-dir"] = "DataDir" });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(ServerSettings.DefaultUrls);
        }

        // Set on purpose rather than left at Kestrel's default: HandlerLimits says what the host can send and why.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = HandlerLimits.MaxRequestBodyBytes);
        configure?.Invoke(builder);
        var settings = ServerSettings.From(builder.Configuration, dataDir);
        builder.Services.AddCustomerValue(builder.Configuration, settings);
        builder.Services.AddDashboard();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseMiddleware<Host.TransientFailures>();
        LocalApiKey.Use(app, builder.Configuration);
        app.UseRateLimiter();
        app.UseAntiforgery();
        MapFunctions(app);
        return app;
    }

    /// <summary>The readiness probe's path.</summary>
    public const string ReadinessPath = "/healthz";

    /// <summary>Maps the readiness probe and every function's handler route.</summary>
    public static void MapFunctions(IEndpointRouteBuilder app)
    {
        // The host sends GET / until the handler answers: any answer means ready (/ leads to the dashboard); tools ask /healthz.
        app.MapGet(ReadinessPath, () => TypedResults.Ok(new { service = "CustomerValue.Functions", status = "ready" }));
        IngestShopWebhookFunction.Map(app);
        ImportPosExportFunction.Map(app);
        RecomputeCustomerValueFunction.Map(app);
        PublishSegmentChangesFunction.Map(app);
        GetProfileFunction.Map(app);
        ListProfileOrdersFunction.Map(app);
        FindProfilesFunction.Map(app);
        ListSegmentsFunction.Map(app);
        GetSegmentFunction.Map(app);
        GetSegmentMembersFunction.Map(app);
        DefineCustomSegmentFunction.Map(app);
        DeleteCustomSegmentFunction.Map(app);
        GetTierMigrationsFunction.Map(app);
        GetRunFunction.Map(app);
        GetChannelQualityFunction.Map(app);
        EraseProfileFunction.Map(app);
        ExportProfileFunction.Map(app);
        DashboardFunction.Map(app);
        DeliverSegmentChangesFunction.Map(app);
        ListDestinationsFunction.Map(app);
        ReplayDestinationFunction.Map(app);
        GetGuidanceFunction.Map(app);
    }
}
