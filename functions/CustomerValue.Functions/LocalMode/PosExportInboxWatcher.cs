using CustomerValue.Domain.Identities;
using CustomerValue.Functions.Configuration;
using CustomerValue.Functions.Functions.ImportPosExport;
using CustomerValue.Functions.Host;
using CustomerValue.Storage.Azure.Blobs;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Functions.LocalMode;

/// <summary>
/// Local stand-in for the storage account's BlobCreated events: polls the inbox (the folder, or the pos-exports
/// container when Blob Storage is configured) and invokes ImportPosExport once per upload (a new file, or a file
/// replaced with new content) through its handler route, with the Event Grid invocation the host would send.
/// Which uploads were already announced is kept in the leases container, so a restart does not announce them again.
/// </summary>
public sealed class PosExportInboxWatcher(IPosExportStorage exports, IDocumentStore store, LocalTriggerClient triggers, ServerSettings settings, ILogger<PosExportInboxWatcher> logger)
    : PollingTrigger(settings.InboxPollInterval, logger)
{

    /// <inheritdoc />
    protected override async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        await ScanOnceAsync(cancellationToken);
        return false; // one scan hands over everything present
    }

    /// <inheritdoc />
    protected override TimeSpan RetryDelay(int failures) => settings.InboxPollInterval;

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
            var payload = HostPayloads.BlobCreated(ImportPosExportFunction.EventBinding, ImportPosExportFunction.Name, BlobPosExportStorage.ExportsContainer, export.Name, uri, export.Length, export.Version);
            var (status, body) = await triggers.InvokeAsync(ImportPosExportFunction.Name, payload, cancellationToken);
            if (status is >= 200 and < 300)
            {
                await store.UpsertAsync(ContainerNames.Leases, announcementId, announcementId, new InboxAnnouncement(announcementId, export.Name, export.Version, DateTimeOffset.UtcNow), cancellationToken);
            }
            else
            {
                // Event Grid redelivers a failed event (with backoff, up to the subscription's attempts); the next scan does the same.
                logger.LogWarning("Import of {Export} answered {Status}: {Body}", export.Name, status, body);
            }
        }
    }
}

/// <summary>An upload already handed to ImportPosExport.</summary>
/// <param name="Id">Lease document id.</param>
/// <param name="Name">Export name.</param>
/// <param name="Version">The announced version.</param>
/// <param name="AnnouncedAt">When.</param>
public sealed record InboxAnnouncement(string Id, string Name, string Version, DateTimeOffset AnnouncedAt);
