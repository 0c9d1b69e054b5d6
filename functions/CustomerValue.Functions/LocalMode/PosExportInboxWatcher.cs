using CustomerValue.Domain.Identities;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Host;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the Event Grid blob trigger: polls the inbox folder and invokes ImportPosExport once per
/// upload (a new file, or a file replaced with new content), through its handler route with a blob-shaped payload.
/// Which uploads were already announced is kept in the leases container, so a restart does not announce them again.
/// </summary>
public sealed class PosExportInboxWatcher(IPosExportStorage exports, IDocumentStore store, LocalTriggerClient triggers, ServerSettings settings, ILogger<PosExportInboxWatcher> logger) : BackgroundService
{
    private const string FunctionName = "ImportPosExport";
    private const string BindingName = "export";
    private readonly SemaphoreSlim _wake = new(0);
    private long _idleRounds;

    /// <summary>Asks the watcher to scan now.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Waits until every file present before this call has been imported.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var seen = Interlocked.Read(ref _idleRounds);
        while (Interlocked.Read(ref _idleRounds) < seen + 2)
        {
            Wake();
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Inbox scan failed: {Error}", ex.Message);
            }

            Interlocked.Increment(ref _idleRounds);
            try
            {
                await _wake.WaitAsync(settings.InboxPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ScanOnceAsync(CancellationToken cancellationToken)
    {
        await foreach (var export in exports.ListAsync(cancellationToken))
        {
            var announcementId = "local-inbox-" + IdentityKey.Sha256Hex(export.Name)[..32];
            var announced = await store.ReadAsync<InboxAnnouncement>(ContainerNames.Leases, announcementId, announcementId, cancellationToken);
            if (announced?.Body.Version == export.Version)
            {
                continue;
            }

            var uri = new Uri(Path.Combine(exports.Location, export.Name));
            var payload = HostPayloads.Blob(BindingName, export.Name, uri, export.Length, export.Version);
            var (status, body) = await triggers.InvokeAsync(FunctionName, payload, cancellationToken);
            if (status is >= 200 and < 300)
            {
                await store.UpsertAsync(ContainerNames.Leases, announcementId, announcementId, new InboxAnnouncement(announcementId, export.Name, export.Version, DateTimeOffset.UtcNow), cancellationToken);
            }
            else
            {
                // The blob trigger retries a failed invocation (five times in Azure); the next scan does the same.
                logger.LogWarning("Import of {Export} answered {Status}: {Body}", export.Name, status, body);
            }
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}

/// <summary>An upload already handed to ImportPosExport.</summary>
/// <param name="Id">Lease document id.</param>
/// <param name="Name">Export name.</param>
/// <param name="Version">The announced version.</param>
/// <param name="AnnouncedAt">When.</param>
public sealed record InboxAnnouncement(string Id, string Name, string Version, DateTimeOffset AnnouncedAt);
