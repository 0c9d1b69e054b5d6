using CustomerValue.Application.PosImports;
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
/// <para>
/// An answer of 2xx or 4xx ends the upload: 4xx means the invocation itself is refused and retrying cannot help, so it
/// gets a failed report (as the importer writes for an upload it gives up on) and is not announced again. A 5xx is an
/// infrastructure fault and is retried at the next scan; the importer counts its attempts and ends the upload with a
/// failed report after <see cref="PosExportSettings.MaxAttempts"/>, so that cannot loop either.
/// </para>
/// </summary>
public sealed class PosExportInboxWatcher(IPosExportStorage exports, IDocumentStore store, LocalTriggerClient triggers, PosExportImporter importer, ServerSettings settings, ILogger<PosExportInboxWatcher> logger)
    : PollingTrigger(settings.InboxPollInterval, logger)
{

    /// <inheritdoc />
    protected override async Task<PollOutcome> PollOnceAsync(CancellationToken cancellationToken)
    {
        await ScanOnceAsync(cancellationToken);
        return PollOutcome.Idle; // one scan hands over everything present
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
            if (status is >= 400 and < 500)
            {
                logger.LogError("Import of {Export} was refused ({Status}): {Body}; it is not retried", export.Name, status, body);
                await importer.RecordRefusalAsync(export, $"{status}: {body}", cancellationToken);
            }

            if (status is >= 200 and < 500)
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
