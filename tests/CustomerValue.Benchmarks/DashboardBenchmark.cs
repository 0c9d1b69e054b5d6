using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using CustomerValue.Benchmarks.Stores;
using CustomerValue.Functions;
using CustomerValue.Functions.LocalMode;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Benchmarks;

/// <summary>
/// <c>bench dashboard</c>: every dashboard page served by the real server with 100,000 profiles in the embedded store
/// after two recomputes (so there is a previous run, migrations and a history). Each page is requested once cold and
/// then <c>--requests</c> times; the target is a 95th percentile under 300 ms. Times are taken by the client on
/// loopback, so they include the HTTP round trip and are an upper bound of the server time. Run it in Release:
/// <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- dashboard</c>.
/// </summary>
public static class DashboardBenchmark
{
    /// <summary>The per-page target.</summary>
    public static readonly TimeSpan Target = TimeSpan.FromMilliseconds(300);

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var profiles = new Option<int>("--profiles") { Description = "Profiles in the store.", DefaultValueFactory = _ => 100_000 };
        var requests = new Option<int>("--requests") { Description = "Timed requests per page after the cold one.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated shop.", DefaultValueFactory = _ => 11 };
        BenchOptionRules.Range(profiles, 1_000, 2_000_000);
        BenchOptionRules.Range(requests, 1, 1_000);
        var command = new Command("dashboard", "Benchmark the dashboard pages (target: every page under 300 ms) with 100,000 profiles in the embedded store. Use a Release build.")
        {
            profiles, requests, seed,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(profiles), parse.GetValue(requests), parse.GetValue(seed), parse.InvocationConfiguration.Output, ct));
        return command;
    }

    private static async Task<int> RunAsync(int count, int requests, int seed, TextWriter output, CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "cv-bench-dashboard-" + Guid.NewGuid().ToString("N"));
        var app = ServerApp.Build(["--urls", "http://127.0.0.1:0"], dataDir, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LocalMode:Enabled"] = "false",
            ["CosmosDb"] = string.Empty,
            ["CosmosDb:accountEndpoint"] = string.Empty,
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        try
        {
            await app.StartAsync(cancellationToken);
            var store = app.Services.GetRequiredService<IDocumentStore>();
            var started = Stopwatch.GetTimestamp();
            var generated = BenchProfiles.Generate(count, seed);
            await Parallel.ForEachAsync(generated, new ParallelOptions { MaxDegreeOfParallelism = RecomputePhase.LoadParallelism, CancellationToken = cancellationToken },
                async (profile, ct) => await store.UpsertAsync(ContainerNames.Profiles, profile.Id, profile.Id, profile, ct));
            output.WriteLine(string.Format(C, "dashboard: {0:N0} profiles loaded in {1:0.0} s", count, Stopwatch.GetElapsedTime(started).TotalSeconds));
            var recompute = app.Services.GetRequiredService<CustomerValueRecompute>();
            foreach (var at in new[] { DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow })
            {
                started = Stopwatch.GetTimestamp();
                var run = await recompute.RunAsync(CustomerValueRecompute.RunIdFor(at), cancellationToken);
                output.WriteLine(string.Format(C, "dashboard: recompute {0} of {1:N0} profiles in {2:0.0} s", run.Id, run.Profiles, Stopwatch.GetElapsedTime(started).TotalSeconds));
            }

            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app.Services.GetRequiredService<LocalTriggerClient>().BaseAddress };
            var customer = generated[count / 2].Id;
            using var members = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/segments/middle-60/members?limit=50", UriKind.Relative), cancellationToken));
            var token = members.RootElement.GetProperty("continuationToken").GetString();
            var pages = new (string Name, string Path)[]
            {
                ("overview", "/api/dashboard/"),
                ("segments", "/api/dashboard/segments"),
                ("segment", "/api/dashboard/segments/top-20"),
                ("members, first page", "/api/dashboard/segments/middle-60/members"),
                ("members, next page", "/api/dashboard/segments/middle-60/members?after=" + Uri.EscapeDataString(token ?? "")),
                ("members of a small segment", "/api/dashboard/segments/overdue/members"),
                ("migrations", "/api/dashboard/migrations"),
                ("channels", "/api/dashboard/channels"),
                ("model health", "/api/dashboard/model"),
                ("customer search (by id)", "/api/dashboard/customers?q=" + customer),
                ("customer", "/api/dashboard/customers/" + customer),
                ("erase confirmation", $"/api/dashboard/customers/{customer}/erase"),
                ("destinations", "/api/dashboard/destinations"),
            };

            output.WriteLine();
            output.WriteLine(string.Format(C, "{0,-28} {1,8} {2,8} {3,8} {4,8}  {5}", "page", "cold ms", "p50 ms", "p95 ms", "max ms", "target < 300 ms (p95)"));
            var failed = 0;
            foreach (var (name, path) in pages)
            {
                var cold = await TimeAsync(client, path, cancellationToken);
                var times = new List<double>();
                for (var i = 0; i < requests; i++)
                {
                    times.Add(await TimeAsync(client, path, cancellationToken));
                }

                times.Sort();
                var p95 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)];
                var met = p95 < Target.TotalMilliseconds;
                failed += met ? 0 : 1;
                output.WriteLine(string.Format(C, "{0,-28} {1,8:0.0} {2,8:0.0} {3,8:0.0} {4,8:0.0}  {5}", name, cold, times[times.Count / 2], p95, times[^1], met ? "met" : "MISSED"));
            }

            output.WriteLine();
            output.WriteLine($"Command: dotnet run -c Release --project tests/CustomerValue.Benchmarks -- dashboard --profiles {count} --requests {requests} --seed {seed}");
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file; the temp folder is cleaned by the OS.
            }
        }
    }

    private static async Task<double> TimeAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Redirect))
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}.");
        }

        return elapsed;
    }
}
