using System.Globalization;
using CustomerValue.PlatformFakes;

// Runs the fake platforms for the demo: `dotnet run --project tests/CustomerValue.PlatformFakes [-- --port 5090]`.
var port = args.Length >= 2 && args[0] == "--port" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5090;
await using var fakes = await PlatformFakeServer.StartAsync(port);
Console.WriteLine($"Fake Google Data Manager, Meta Graph API, Klaviyo and webhook receiver on {fakes.BaseAddress} (summary: {fakes.BaseAddress}fakes). Ctrl-C stops.");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
