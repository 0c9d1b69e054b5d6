using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using CustomerValue.LocalServers;
using CustomerValue.Storage.Tests.Emulators;

namespace CustomerValue.Functions.Tests.Azure;

/// <summary>
/// One Azurite Queue service for a test collection: <c>tests/emulators/azurite/azurite-queue.js</c> (installed with
/// the Blob service's package) on 127.0.0.1 with a port the OS picks, storing into a temp folder deleted afterwards.
/// Flags as for the Blob service (<see cref="AzuriteFixture"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync.")]
public sealed partial class AzuriteQueueFixture : IAsyncLifetime
{
    private readonly TempDirectory _location = new();
    private NodeServer? _server;

    /// <summary>The Queue endpoint, e.g. http://127.0.0.1:40123/devstoreaccount1.</summary>
    public Uri QueueEndpoint { get; private set; } = null!;

    /// <summary>The explicit devstoreaccount1 connection string for this server's port.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};QueueEndpoint={QueueEndpoint};";

    /// <summary>What Azurite printed (for failure messages).</summary>
    public string Log => _server?.Log ?? string.Empty;

    /// <summary>A client of a queue with a unique name (not yet created), so tests sharing the server stay apart.</summary>
    public QueueClient CreateQueue() => new(ConnectionString, "segment-changes-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        var (folder, _) = await EmulatorPackages.EnsureInstalledAsync("azurite");
        var (server, listening) = await NodeServer.StartAsync("Azurite queue", folder, "azurite-queue.js", [
            "--queueHost", "127.0.0.1", "--queuePort", "0", "--location", _location.Path,
            "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
        ], ListeningLine());
        _server = server;
        QueueEndpoint = new Uri($"{listening.Groups["url"].Value}/{AzuriteFixture.AccountName}");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _location.Dispose();
    }

    [GeneratedRegex(@"successfully listens on (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>The tests that share one Azurite Queue service.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteQueueCollection : ICollectionFixture<AzuriteQueueFixture>
{
    public const string Name = "Azurite queue";
}
