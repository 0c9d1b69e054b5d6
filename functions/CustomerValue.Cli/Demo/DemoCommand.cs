using System.CommandLine;
using CustomerValue.Functions.Configuration;

namespace CustomerValue.Cli.Demo;

/// <summary><c>demo</c>: a synthetic shop pushed through the real entry points.</summary>
public static class DemoCommand
{
    /// <summary>The default number of customers.</summary>
    public const int DefaultCustomers = 3000;

    /// <summary>Builds the command.</summary>
    public static Command Build()
    {
        var customers = new Option<int>("--customers") { Description = "Customers in the synthetic shop.", DefaultValueFactory = _ => DefaultCustomers };
        var exit = new Option<bool>("--exit") { Description = "Stop after the pipeline instead of serving until Ctrl-C." };
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed gives the same shop).", DefaultValueFactory = _ => 42 };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Data folder (default {Path.Combine(ServerSettings.DefaultDataDir, "demo")}; the demo's files in it are replaced at start)." };
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (default {ServerSettings.DefaultUrls})." };
        var destinations = new Option<string?>("--destinations") { Description = "A JSON settings file of destinations (Destinations:<name>:...), e.g. functions/CustomerValue.Cli/Demo/destinations.fakes.json with the platform fakes running; demo customers then give consent and the segment changes are delivered.", HelpName = "FILE" };
        var command = new Command("demo", "Generate a synthetic shop, push it through webhooks and POS exports, value and segment its customers, publish the segment changes.")
        {
            customers, exit, seed, dataDir, urls, destinations,
        };
        customers.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1_000_000)
            {
                result.AddError("--customers must be between 1 and 1,000,000.");
            }
        });
        command.SetAction((parse, ct) => new DemoRunner(new DemoOptions(
            parse.GetValue(customers),
            parse.GetValue(seed),
            Path.GetFullPath(parse.GetValue(dataDir) ?? Path.Combine(ServerSettings.DefaultDataDir, "demo")),
            parse.GetValue(urls) ?? ServerSettings.DefaultUrls,
            parse.GetValue(exit))
        {
            DestinationsFile = parse.GetValue(destinations) is { } file ? Path.GetFullPath(file) : null,
        }).RunAsync(Console.Out, ct));
        return command;
    }
}

/// <summary>Options of one demo run.</summary>
/// <param name="Customers">Customers to generate.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="DataDir">Data folder (emptied at start).</param>
/// <param name="Urls">Listen addresses.</param>
/// <param name="Exit">Stop after the pipeline.</param>
public sealed record DemoOptions(int Customers, int Seed, string DataDir, string Urls, bool Exit)
{
    /// <summary>A JSON settings file with destinations to deliver to (<c>--destinations</c>), or null.</summary>
    public string? DestinationsFile { get; init; }
}
