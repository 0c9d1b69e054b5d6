using System.Globalization;
using System.Text;
using CustomerValue.Domain.Identities;
using CustomerValue.Identity.Resolution;
using CustomerValue.Ingestion.PosExports;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Functions.Functions.ImportPosExport;

/// <summary>
/// Imports one POS export: streams it from storage (never whole), applies every sale and return to its customer's
/// profile, quarantines unreadable records with their location and reason, and writes a report next to the export.
/// <para>
/// Idempotent and resumable: a transaction already on a profile counts as a duplicate and changes nothing, so a
/// re-upload never double counts; progress is checkpointed every <see cref="CheckpointEvery"/> records, and a
/// retry after a crash skips the records already counted. A completed import of the same upload returns its report.
/// </para>
/// </summary>
public sealed class PosExportImporter(IPosExportStorage exports, ProfileResolver resolver, IDocumentStore store, PosLayoutCatalog layouts, TimeProvider clock, ILogger<PosExportImporter> logger)
{
    /// <summary>Records between checkpoints.</summary>
    public const int CheckpointEvery = 1000;

    /// <summary>Imports the export named <paramref name="name"/>; null when it no longer exists or was replaced meanwhile.</summary>
    public async Task<PosImportReport?> ImportAsync(string name, CancellationToken cancellationToken)
    {
        var export = await exports.GetInfoAsync(name, cancellationToken);
        if (export is null)
        {
            logger.LogWarning("POS export {Export} no longer exists; nothing to import", name);
            return null;
        }

        var id = "imp-" + IdentityKey.Sha256Hex($"{export.Name}|{export.Version}")[..40];
        var previous = (await store.ReadAsync<PosImportReport>(ContainerNames.Imports, id, id, cancellationToken))?.Body;
        if (previous is { Status: not PosImportStatus.Running })
        {
            return previous;
        }

        PosLayout layout;
        try
        {
            layout = await layouts.ForExportAsync(export.Name, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException)
        {
            // A layout that cannot be chosen is a problem of the upload's setup: report it, don't retry forever.
            var rejected = new PosImportReport
            {
                Id = id, ExportName = export.Name, ExportVersion = export.Version, Layout = "unknown",
                Status = PosImportStatus.Rejected, Error = ex.Message, StartedAt = clock.GetUtcNow(), FinishedAt = clock.GetUtcNow(),
            };
            await WriteReportFilesAsync(rejected, [], cancellationToken);
            await store.UpsertAsync(ContainerNames.Imports, id, id, rejected, cancellationToken);
            return rejected;
        }

        var report = previous ?? new PosImportReport
        {
            Id = id,
            ExportName = export.Name,
            ExportVersion = export.Version,
            Layout = layout.Name,
            StartedAt = clock.GetUtcNow(),
        };
        if (previous is not null)
        {
            logger.LogInformation("Resuming import of {Export} after record {Record}", export.Name, previous.RecordsDone);
        }

        var quarantined = new List<QuarantinedRow>(report.QuarantinedRows);
        Stream opened;
        try
        {
            opened = await exports.OpenReadAsync(export, cancellationToken);
        }
        catch (PosExportChangedException)
        {
            // Replaced between describing and opening it: the new upload is announced and imported on its own.
            logger.LogInformation("POS export {Export} was replaced before its import started; the new upload is imported instead", name);
            return null;
        }

        await using (var content = opened)
        {
            await foreach (var row in new PosExportReader().ReadAsync(content, layout, cancellationToken))
            {
                if (row.Status == PosRowStatus.FileError)
                {
                    report = report with { Status = PosImportStatus.Rejected, Error = $"{row.Reason}{(row.Column is null ? string.Empty : $" (column '{row.Column}')")}" };
                    break;
                }

                if (row.RecordNumber <= report.RecordsDone)
                {
                    continue; // counted before the interruption
                }

                report = await ApplyAsync(report, row, quarantined, cancellationToken);
                if (report.RecordsDone % CheckpointEvery == 0)
                {
                    report = report with { QuarantinedRows = [.. quarantined.Take(PosImportReport.MaxQuarantinedRowsKept)] };
                    await store.UpsertAsync(ContainerNames.Imports, id, id, report, cancellationToken);
                }
            }
        }

        report = report with
        {
            Status = report.Status == PosImportStatus.Rejected ? PosImportStatus.Rejected : PosImportStatus.Completed,
            QuarantinedRows = [.. quarantined.Take(PosImportReport.MaxQuarantinedRowsKept)],
            FinishedAt = clock.GetUtcNow(),
        };
        await WriteReportFilesAsync(report, quarantined, cancellationToken);
        await store.UpsertAsync(ContainerNames.Imports, id, id, report, cancellationToken);
        logger.LogInformation("Imported {Export}: {Read} read, {Accepted} accepted, {Duplicates} duplicates, {Anonymous} anonymous, {Quarantined} quarantined, {Skipped} skipped",
            export.Name, report.Read, report.Accepted, report.Duplicates, report.Anonymous, report.Quarantined, report.Skipped);
        return report;
    }

    private async Task<PosImportReport> ApplyAsync(PosImportReport report, PosRowResult row, List<QuarantinedRow> quarantined, CancellationToken cancellationToken)
    {
        report = report with { Read = report.Read + 1, RecordsDone = row.RecordNumber };
        switch (row.Status)
        {
            case PosRowStatus.Imported when row.Activity is not null:
                var result = await resolver.ApplyAsync(row.Activity, cancellationToken);
                return result switch
                {
                    null => report with { Anonymous = report.Anonymous + 1 },
                    { Changed: true } => report with { Accepted = report.Accepted + 1 },
                    _ => report with { Duplicates = report.Duplicates + 1 },
                };
            case PosRowStatus.Anonymous or PosRowStatus.Imported:
                return report with { Anonymous = report.Anonymous + 1 };
            case PosRowStatus.Skipped:
                return report with { Skipped = report.Skipped + 1 };
            default:
                quarantined.Add(new QuarantinedRow(row.RecordNumber, row.LineNumber, row.Column, row.Reason ?? "unreadable record"));
                return report with { Quarantined = report.Quarantined + 1 };
        }
    }

    private async Task WriteReportFilesAsync(PosImportReport report, List<QuarantinedRow> quarantined, CancellationToken cancellationToken)
    {
        await using (var json = new MemoryStream(Encoding.UTF8.GetBytes(DocumentJson.Serialize(report with { QuarantinedRows = [] }))))
        {
            await exports.WriteReportAsync(report.ExportName, "report.json", json, cancellationToken);
        }

        if (quarantined.Count == 0)
        {
            return;
        }

        var csv = new StringBuilder("record,line,column,reason\n");
        foreach (var row in quarantined)
        {
            csv.Append(row.Record.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.Line.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Quote(row.Column ?? string.Empty)).Append(',')
                .Append(Quote(row.Reason)).Append('\n');
        }

        await using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        await exports.WriteReportAsync(report.ExportName, "quarantine.csv", file, cancellationToken);
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
