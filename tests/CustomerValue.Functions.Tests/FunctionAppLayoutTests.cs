using System.Diagnostics;
using System.Text.Json;
using CustomerValue.Functions.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerValue.Functions.Tests;

/// <summary>The deployable function app root: host.json, one folder per function, the handler executable; and routes that agree.</summary>
public sealed class FunctionAppLayoutTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    [Fact]
    public async Task EveryFunctionJsonHasAHandlerRoute_AndEveryRouteAFunctionJson()
    {
        await using var server = await RunningServer.StartAsync();
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Where(r => r != "GET /" && r != "GET " + ServerApp.ReadinessPath)
            // The dashboard's pages all reach the handler through the one catch-all route of its function.
            .Select(r => r.Contains(" /api/dashboard", StringComparison.Ordinal) ? r[..r.IndexOf(' ', StringComparison.Ordinal)] + " /api/dashboard/{*path}" : r)
            .ToHashSet(StringComparer.Ordinal);

        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory), "function.json", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)!);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var trigger = json.RootElement.GetProperty("bindings")[0];
            if (trigger.GetProperty("type").GetString() == "httpTrigger")
            {
                var bindings = json.RootElement.GetProperty("bindings");
                Assert.Equal(2, bindings.GetArrayLength());
                Assert.Equal("http", bindings[1].GetProperty("type").GetString());
                foreach (var method in trigger.GetProperty("methods").EnumerateArray())
                {
                    declared.Add($"{method.GetString()!.ToUpperInvariant()} /api/{trigger.GetProperty("route").GetString()}");
                }
            }
            else
            {
                declared.Add($"POST /{name}");
            }
        }

        Assert.Equal(22, Directory.EnumerateFiles(AppContext.BaseDirectory, "function.json", SearchOption.AllDirectories).Count());
        Assert.Equal(declared.Order(), routes.Order());
    }

    [Fact]
    public async Task HostJson_IsConfiguredForTheCustomHandler()
    {
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "host.json")));
        var root = json.RootElement;
        var handler = root.GetProperty("customHandler");

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("CustomerValue.Functions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Contains(handler.GetProperty("description").GetProperty("arguments").EnumerateArray(), a => a.GetString()!.Contains("%FUNCTIONS_CUSTOMHANDLER_PORT%", StringComparison.Ordinal));
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("[4.*, 5.0.0)", root.GetProperty("extensionBundle").GetProperty("version").GetString());
        Assert.Equal("api", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    [Trait("Category", "Slow")] // a self-contained publish: run by tests/run.sh, skipped by --fast
    public async Task Publish_ProducesADeployableFunctionAppRoot()
    {
        var output = Path.Combine(Path.GetTempPath(), "cv-publish-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, log) = await RunAsync("dotnet", $"publish \"{Path.Combine(RepositoryRoot, "functions", "CustomerValue.Functions")}\" -c Release -o \"{output}\" --nologo");
            Assert.True(exitCode == 0, log);

            Assert.True(File.Exists(Path.Combine(output, "host.json")));
            foreach (var function in new[] { "IngestShopWebhook", "ImportPosExport", "RecomputeCustomerValue", "PublishSegmentChanges", "GetProfile", "FindProfiles", "ListSegments", "EraseProfile", "ExportProfile",
                "GetSegment", "GetSegmentMembers", "DefineCustomSegment", "DeleteCustomSegment", "GetTierMigrations", "GetChannelQuality", "Dashboard", "GetRun",
                "DeliverSegmentChanges", "ListDestinations", "ReplayDestination", "GetGuidance" })
            {
                Assert.True(File.Exists(Path.Combine(output, function, "function.json")), $"{function}/function.json is missing");
            }

            var executable = Path.Combine(output, "CustomerValue.Functions");
            Assert.True(File.Exists(executable), "the handler executable is missing");
            Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) != 0, "the handler is not executable");
            // Self-contained: the runtime travels with the app, so the Functions worker needs no .NET installed.
            Assert.True(File.Exists(Path.Combine(output, "libcoreclr.so")), "the publish output is not self-contained for linux-x64");

            // Only the server and what it runs on: no tools, benchmarks, emulator starters or test frameworks.
            var ours = Directory.EnumerateFiles(output, "CustomerValue.*.dll").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(ServerAssemblies, ours);
            foreach (var tooling in new[] { "System.CommandLine.dll", "xunit.core.dll", "Moq.dll" })
            {
                Assert.False(File.Exists(Path.Combine(output, tooling)), $"{tooling} does not belong in the function app");
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    /// <summary>The server's own assemblies: the handler (the executable's dll) and the libraries it composes.</summary>
    private static readonly string[] ServerAssemblies =
    [
        "CustomerValue.Application", "CustomerValue.Domain", "CustomerValue.Functions", "CustomerValue.Identity",
        "CustomerValue.Ingestion", "CustomerValue.Models", "CustomerValue.Publishing", "CustomerValue.Segmentation",
        "CustomerValue.Storage", "CustomerValue.Storage.Azure", "CustomerValue.Storage.Embedded",
    ];

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CustomerValue.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (CustomerValue.Functions.sln) was not found.");
    }
}
