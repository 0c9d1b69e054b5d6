using System.CommandLine;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Demo;

namespace CustomerValue.Functions.Cli;

/// <summary>The command line: serve (default), <c>demo</c>, <c>clv</c> (analysts), <c>bench</c> (performance targets), <c>package</c> (deployment zip).</summary>
public static class CommandLine
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (default {ServerSettings.DefaultUrls}; the Functions host passes its own)." };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Data folder: embedded store, POS export inbox (pos-exports/), outbox (default {ServerSettings.DefaultDataDir})." };
        var root = new RootCommand("CustomerValue.Functions: unify shop customers, value them, segment them, and publish segment changes.")
        {
            urls,
            dataDir,
        };
        // ASP.NET Core options (e.g. --environment) pass through to the server.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(async (parse, ct) =>
        {
            var serverArgs = new List<string> { "--urls", parse.GetValue(urls) ?? ServerSettings.DefaultUrls };
            serverArgs.AddRange(parse.UnmatchedTokens);
            var app = ServerApp.Build([.. serverArgs], parse.GetValue(dataDir));
            await app.RunAsync(ct);
            return 0;
        });

        root.Add(DemoCommand.Build());
        root.Add(ClvCommand.Build());
        root.Add(BenchCommand.Build());
        root.Add(PackageCommand.Build());
        return root;
    }
}
