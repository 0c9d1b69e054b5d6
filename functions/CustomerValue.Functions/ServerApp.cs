using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.Functions.IngestShopWebhook;
using CustomerValue.Functions.Functions.EraseProfile;
using CustomerValue.Functions.Functions.ExportProfile;
using CustomerValue.Functions.Functions.FindProfiles;
using CustomerValue.Functions.Functions.GetProfile;
using CustomerValue.Functions.Functions.ListSegments;
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
    /// and tests add settings.
    /// </summary>
    public static WebApplication Build(string[] args, string? dataDir = null, Action<WebApplicationBuilder>? configure = null)
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

        var app = builder.Build();
        LocalApiKey.Use(app, builder.Configuration);
        app.UseRateLimiter();
        MapFunctions(app);
        return app;
    }

    /// <summary>Maps the readiness probe and every function's handler route.</summary>
    public static void MapFunctions(IEndpointRouteBuilder app)
    {
        // The host sends GET / until the handler answers: any answer means ready.
        app.MapGet("/", () => TypedResults.Ok(new { service = "CustomerValue.Functions", status = "ready" }));
        IngestShopWebhookFunction.Map(app);
        ImportPosExportFunction.Map(app);
        RecomputeCustomerValueFunction.Map(app);
        PublishSegmentChangesFunction.Map(app);
        GetProfileFunction.Map(app);
        FindProfilesFunction.Map(app);
        ListSegmentsFunction.Map(app);
        EraseProfileFunction.Map(app);
        ExportProfileFunction.Map(app);
        DeliverSegmentChangesFunction.Map(app);
        ListDestinationsFunction.Map(app);
        ReplayDestinationFunction.Map(app);
        GetGuidanceFunction.Map(app);
    }
}
