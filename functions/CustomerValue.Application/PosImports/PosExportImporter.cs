using System.Globalization;
using System.Text;
using CustomerValue.Domain.Identities;
using CustomerValue.Domain.Profiles;
using CustomerValue.Identity.Resolution;
using CustomerValue.Ingestion.PosExports;
using CustomerValue.Storage.Documents;
using CustomerValue.Storage.Exports;

namespace CustomerValue.Application.PosImports;

/// <summary>
/// Imports one POS export: streams it from storage (never whole), applies every sale and return to its customer's
/// profile, quarantines unreadable records with their location and reason, and writes a report next to the export.
/// <para>
/// Idempotent and resumable: a transaction already on a profile counts as a duplicate and changes nothing, so a
/// re-upload never double counts; progress is checkpointed after every batch of <see cref="BatchRecords"/> records, and
/// a retry after a crash skips the records already counted. A completed import of the same upload returns its report.
/// </para>
/// <para>
/// Always ends: a fault of the upload itself (content the reader cannot handle) ends the import at once with a
/// <see cref="PosImportStatus.Failed"/> report, while an infrastructure fault (the store, the network) is thrown so
/// the trigger retries; every attempt is counted in the checkpoint before any work, and the attempt after
/// <see cref="PosExportSettings.MaxAttempts"/> writes a failed report quoting the last error instead of trying again.
/// </para>
/// <para>
/// Fast: rows are applied in batches through <see cref="ProfileBatchApplier"/> (one profile write per person per batch,
/// people concurrently), and the next batch is read and parsed while the previous one is being applied. Memory stays
/// flat: at most two batches are held.
/// </para>
/// </summary>
public sealed class PosExportImporter(IPosExportStorage exports, ProfileBatchApplier applier, IDocumentStore store, PosLayoutCatalog layouts, PosExportSettings settings, TimeProvider clock, ILogger<PosExportImporter> logger)
{
    /// <summary>
    /// Records per batch at most, and so between checkpoints, unless <see cref="PosExportSettings.BatchRecords"/> says otherwise.
    /// A person's profile is written once per batch: from 4,096 to 8,192 rows the profile writes per row fell from 0.45 to
    /// 0.34 and the import's CPU by about a sixth, for about 25 MB more at the peak (16,384: 0.26, another 50 MB).
    /// </summary>
    public const int BatchRecords = 8192;

    /// <summary>
    /// Different customers per batch at most, unless <see cref="PosExportSettings.BatchPeople"/> says otherwise: a batch
    /// holds every profile it touches until they are written, so its memory follows its people. With 135,000 customers
    /// (bench import, 100 MB) a batch of 8,192 rows named nearly as many; ending batches at 4,096 people took the
    /// import's managed heap at its peak from 144–163 MB to 112 MB. With few customers, where rows repeat people,
    /// batches stay at 8,192 rows.
    /// </summary>
    public const int BatchPeople = 4096;

    /// <summary>Imports the export named <paramref name="name"/>; null when it no longer exists or was replaced meanwhile.</summary>
    public async Task<PosImportReport?> ImportAsync(string name, CancellationToken cancellationToken)
    {
        // An import writes thousands of documents a batch: webhooks arriving meanwhile go before them.
        using var bulk = BulkWrites.Begin();
        var export = await exports.GetInfoAsync(name, cancellationToken);
        if (export is null)
        {
            logger.LogWarning("POS export {Export} no longer exists; nothing to import", name);
            return null;
        }

        var id = ReportId(export);
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
            await WriteReportFilesAsync(rejected, cancellationToken);
            await store.UpsertAsync(ContainerNames.Imports, id, id, rejected, cancellationToken);
            return rejected;
        }

        var report = (previous ?? new PosImportReport
        {
            Id = id,
            ExportName = export.Name,
            ExportVersion = export.Version,
            Layout = layout.Name,
            StartedAt = clock.GetUtcNow(),
        }) with { Attempts = (previous?.Attempts ?? 0) + 1 };
        if (report.Attempts > settings.MaxAttempts)
        {
            return await FailAsync(report with { Attempts = report.Attempts - 1 },
                $"Gave up after {report.Attempts - 1} attempts; the last one failed with: {report.LastError ?? "an unknown error (the process stopped)"}", cancellationToken);
        }

        // Counted before any work: an attempt that kills the process is counted too.
        await store.UpsertAsync(ContainerNames.Imports, id, id, report, cancellationToken);
        if (previous is not null)
        {
            logger.LogInformation("Resuming import of {Export} after record {Record} (attempt {Attempt})", export.Name, previous.RecordsDone, report.Attempts);
        }

        try
        {
            return await RunAsync(export, layout, report, cancellationToken);
        }
        catch (Exception ex) when (IsFaultOfTheUpload(ex))
        {
            logger.LogWarning("POS export {Export} cannot be imported: {Error}", export.Name, ex.Message);
            var latest = (await store.ReadAsync<PosImportReport>(ContainerNames.Imports, id, id, cancellationToken))?.Body ?? report;
            return await FailAsync(latest, $"The export cannot be read: {ex.Message}", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An infrastructure fault: retried by the trigger. The reason is kept for the report of the last attempt;
            // when the store itself is what failed, this write may fail too, and the count of attempts still ends it.
            try
            {
                var latest = (await store.ReadAsync<PosImportReport>(ContainerNames.Imports, id, id, CancellationToken.None))?.Body ?? report;
                await store.UpsertAsync(ContainerNames.Imports, id, id, latest with { LastError = $"{ex.GetType().Name}: {ex.Message}" }, CancellationToken.None);
            }
            catch (Exception recordFailure) when (recordFailure is not OperationCanceledException)
            {
                logger.LogWarning("Could not record why the import of {Export} failed: {Error}", export.Name, recordFailure.Message);
            }

            throw;
        }
    }

    /// <summary>
    /// Ends an upload that the import function refused outright (a 4xx answer: retrying cannot help) with a
    /// <see cref="PosImportStatus.Failed"/> report saying why, so whoever uploaded it finds an answer next to it.
    /// </summary>
    public async Task<PosImportReport> RecordRefusalAsync(PosExportInfo export, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var id = ReportId(export);
        var previous = (await store.ReadAsync<PosImportReport>(ContainerNames.Imports, id, id, cancellationToken))?.Body;
        return await FailAsync(previous ?? new PosImportReport
        {
            Id = id, ExportName = export.Name, ExportVersion = export.Version, Layout = "unknown", StartedAt = clock.GetUtcNow(),
        }, $"The import was refused: {reason}", cancellationToken);
    }

    /// <summary>The id of the report and checkpoint of one upload.</summary>
    public static string ReportId(PosExportInfo export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return "imp-" + IdentityKey.Sha256Hex($"{export.Name}|{export.Version}")[..40];
    }

    /// <summary>
    /// Ends an import with a <see cref="PosImportStatus.Failed"/> report (kept, so later attempts return it at once)
    /// and writes it next to the export.
    /// </summary>
    private async Task<PosImportReport> FailAsync(PosImportReport report, string error, CancellationToken cancellationToken)
    {
        var failed = report with { Status = PosImportStatus.Failed, Error = error, FinishedAt = clock.GetUtcNow() };
        logger.LogError("Import of {Export} failed for good after {Read} records: {Error}", failed.ExportName, failed.Read, error);
        return await FinishAsync(failed, cancellationToken);
    }

    /// <summary>
    /// True for an exception caused by the upload's content, which every retry would meet again; store and network
    /// failures are not, and are retried.
    /// </summary>
    private static bool IsFaultOfTheUpload(Exception ex) =>
        ex is FormatException or InvalidDataException or DecoderFallbackException or OverflowException or ArgumentException
        && ex is not ArgumentNullException;

    private async Task<PosImportReport?> RunAsync(PosExportInfo export, PosLayout layout, PosImportReport report, CancellationToken cancellationToken)
    {
        var id = report.Id;
        var name = export.Name;

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

        // Counts live in a mutable tally while rows stream by; the report record is only built at checkpoints.
        var tally = ImportTally.From(report);
        string? error = null;
        await using (var content = opened)
        {
            var (batchRecords, batchPeople) = (settings.Validated().BatchRecords, settings.BatchPeople);
            var batch = new List<PosRowResult>(batchRecords);
            // The customers the batch names, as typed (one person typed two ways counts twice: the bound errs small).
            var people = new HashSet<RawIdentities>(RawIdentitiesComparer.Instance);
            var applying = Task.CompletedTask;
            var resumeAfter = tally.RecordsDone; // the tally itself moves on while batches apply in the background
            try
            {
                // Each order is tagged with its row as it is read, so that a retry after a crash knows the rows this
                // import already stored.
                await foreach (var row in new PosExportReader { AppliedBy = id }.ReadAsync(content, layout, cancellationToken))
                {
                    if (row.Status == PosRowStatus.FileError)
                    {
                        error = $"{row.Reason}{(row.Column is null ? string.Empty : $" (column '{row.Column}')")}";
                        break;
                    }

                    if (row.RecordNumber <= resumeAfter)
                    {
                        continue; // counted before the interruption
                    }

                    batch.Add(row);
                    if (row.Activity is { } activity)
                    {
                        people.Add(activity.Identities);
                    }

                    if (batch.Count == batchRecords || people.Count == batchPeople)
                    {
                        // One batch is applied while the next is read: parsing and the store work overlap. Started on the
                        // thread pool, as an apply that never waits (a re-upload's duplicates, found by one synchronous
                        // query) would otherwise run to its end on this thread before the next row is read.
                        await applying;
                        var full = batch;
                        var recognise = RecognisesKnownRows(report);
                        applying = Task.Run(() => ApplyBatchAsync(id, report, tally, full, recognise, cancellationToken), cancellationToken);
                        batch = new List<PosRowResult>(batchRecords);
                        people.Clear();
                    }
                }
            }
            finally
            {
                // Never leave a batch writing behind a read that failed: a retry must not race it.
                await applying;
            }

            await ApplyBatchAsync(id, report, tally, batch, RecognisesKnownRows(report), cancellationToken);
        }

        report = tally.Into(report) with
        {
            Status = error is null ? PosImportStatus.Completed : PosImportStatus.Rejected,
            Error = error,
            FinishedAt = clock.GetUtcNow(),
        };
        report = await FinishAsync(report, cancellationToken);
        logger.LogInformation("Imported {Export}: {Read} read, {Accepted} accepted, {Duplicates} duplicates, {Anonymous} anonymous, {Quarantined} quarantined, {Skipped} skipped",
            export.Name, report.Read, report.Accepted, report.Duplicates, report.Anonymous, report.Quarantined, report.Skipped);
        return report;
    }

    /// <summary>
    /// Whether rows already applied may be counted as duplicates by their order alone (see
    /// <see cref="ProfileBatchApplier"/>): in a first attempt only. An interrupted attempt may have applied rows past
    /// its last checkpoint under their own row tags, which the retry counts as accepted, as a full apply finds.
    /// </summary>
    private static bool RecognisesKnownRows(PosImportReport report) => report.Attempts <= 1;

    /// <summary>Applies one batch, counts its rows in file order and checkpoints the progress.</summary>
    private async Task ApplyBatchAsync(string id, PosImportReport report, ImportTally tally, List<PosRowResult> batch, bool recogniseKnownRows, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var activities = new List<CustomerActivity>(batch.Count);
        foreach (var row in batch)
        {
            if (row is { Status: PosRowStatus.Imported, Activity: { } activity })
            {
                activities.Add(activity); // tagged with its row by the reader (PosExportReader.AppliedBy)
            }
        }

        var outcomes = await applier.ApplyAsync(activities, ProfileBatchApplier.DefaultParallelism, setWise: true, recogniseKnownRows, cancellationToken);
        var next = 0;
        List<QuarantinedRow>? quarantinedRows = null;
        foreach (var row in batch)
        {
            tally.Read++;
            tally.RecordsDone = row.RecordNumber;
            switch (row.Status)
            {
                case PosRowStatus.Imported when row.Activity is not null:
                    _ = outcomes[next++] switch
                    {
                        RecordOutcome.Anonymous => tally.Anonymous++,
                        RecordOutcome.Changed => tally.Accepted++,
                        _ => tally.Duplicates++,
                    };
                    break;
                case PosRowStatus.Anonymous or PosRowStatus.Imported:
                    tally.Anonymous++;
                    break;
                case PosRowStatus.Skipped:
                    tally.Skipped++;
                    break;
                default:
                    var quarantined = new QuarantinedRow(row.RecordNumber, row.LineNumber, row.Column, row.Reason ?? "unreadable record");
                    tally.Quarantine(quarantined);
                    (quarantinedRows ??= []).Add(quarantined);
                    break;
            }
        }

        // The batch's quarantined rows are stored before the checkpoint that counts them, under ids a retry of the same
        // batch overwrites: the quarantine file is exact however often the import is interrupted.
        foreach (var part in (quarantinedRows ?? []).Chunk(QuarantineChunk.MaxRows))
        {
            var chunkId = string.Create(CultureInfo.InvariantCulture, $"{id}-q{part[0].Record}");
            await store.UpsertAsync(ContainerNames.Imports, chunkId, id, new QuarantineChunk(chunkId, id, part), cancellationToken);
            tally.QuarantineChunks.Add(chunkId);
        }

        // Every row up to here is applied and counted: a retry after a crash resumes behind this record.
        await store.UpsertAsync(ContainerNames.Imports, id, id, tally.Into(report), cancellationToken);
    }

    /// <summary>
    /// Writes the final report files and document, then drops the quarantine chunks (their rows are in the file now);
    /// a crash before the document is written leaves the chunks for the retry.
    /// </summary>
    private async Task<PosImportReport> FinishAsync(PosImportReport report, CancellationToken cancellationToken)
    {
        await WriteReportFilesAsync(report, cancellationToken);
        var done = report with { QuarantineChunks = [] };
        await store.UpsertAsync(ContainerNames.Imports, report.Id, report.Id, done, cancellationToken);
        foreach (var chunkId in report.QuarantineChunks)
        {
            await store.DeleteAsync(ContainerNames.Imports, chunkId, report.Id, cancellationToken);
        }

        return done;
    }

    private async Task WriteReportFilesAsync(PosImportReport report, CancellationToken cancellationToken)
    {
        // The quarantine file first, the report last: the report is what says the import ended, so whoever sees it
        // (a person, a script, the tests) finds the quarantined rows already there.
        if (report.QuarantineChunks.Count > 0)
        {
            await using var quarantine = new QuarantineSpool();
            foreach (var chunkId in report.QuarantineChunks)
            {
                var chunk = await store.ReadAsync<QuarantineChunk>(ContainerNames.Imports, chunkId, report.Id, cancellationToken)
                    ?? throw new InvalidOperationException($"Quarantined rows '{chunkId}' of import {report.Id} are missing from the store.");
                foreach (var row in chunk.Body.Rows)
                {
                    quarantine.Add(row);
                }
            }

            await using var file = await quarantine.OpenAsync();
            await exports.WriteReportAsync(report.ExportName, "quarantine.csv", file, cancellationToken);
        }

        await using var json = new MemoryStream(Encoding.UTF8.GetBytes(DocumentJson.Serialize(report with { QuarantinedRows = [], QuarantineChunks = [] })));
        await exports.WriteReportAsync(report.ExportName, "report.json", json, cancellationToken);
    }
}
