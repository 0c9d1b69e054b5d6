using System.CommandLine;

namespace CustomerValue.Benchmarks;

/// <summary>
/// <c>bench soak</c>: memory and errors of the server under long mixed load (see <see cref="SoakBenchmark"/>). Run it
/// in Release: <c>dotnet run -c Release --project tests/CustomerValue.Benchmarks -- soak --minutes 10</c>.
/// </summary>
public static class SoakBenchmarkCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var minutes = new Option<double>("--minutes") { Description = "How long the load runs.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup-minutes") { Description = "The first part of the run; memory at its end is the reference.", DefaultValueFactory = _ => 2 };
        var rows = new Option<int>("--export-rows") { Description = "Rows of each POS export dropped into the inbox.", DefaultValueFactory = _ => 50_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed of the traffic and the exports.", DefaultValueFactory = _ => 42 };
        var serverEnv = new Option<string[]>("--server-env") { Description = "NAME=VALUE environment variables for the server process (e.g. DOTNET_gcServer=1 to compare GC settings).", AllowMultipleArgumentsPerToken = true };
        BenchOptionRules.Range(rows, 1_000, 10_000_000);
        var command = new Command("soak", "Run the server as its own process under mixed load (webhooks, forged bodies, POS imports, recomputes) and check that its memory returns to the warm-up level. Use a Release build.")
        {
            minutes, warmup, rows, seed, serverEnv,
        };
        command.SetAction((parse, ct) => SoakBenchmark.RunAsync(
            new SoakOptions(parse.GetValue(minutes), parse.GetValue(warmup), parse.GetValue(rows), parse.GetValue(seed), ServerEnvironment(parse.GetValue(serverEnv))),
            parse.InvocationConfiguration.Output,
            ct));
        return command;
    }

    private static Dictionary<string, string> ServerEnvironment(string[]? pairs) =>
        (pairs ?? []).Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Length > 0).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
