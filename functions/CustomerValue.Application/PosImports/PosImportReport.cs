namespace CustomerValue.Application.PosImports;

/// <summary>Where an import stands.</summary>
public enum PosImportStatus
{
    /// <summary>Under way (or interrupted: a retry resumes from <see cref="PosImportReport.RecordsDone"/>).</summary>
    Running,

    /// <summary>Every record was read.</summary>
    Completed,

    /// <summary>The file as a whole could not be read (e.g. a required column is missing).</summary>
    Rejected,

    /// <summary>
    /// Given up: the export made the import fail in a way retrying cannot fix (its content, its name), or it failed
    /// <see cref="PosExportSettings.MaxAttempts"/> times. <see cref="PosImportReport.Error"/> says why; the rows counted
    /// before stay applied and counted.
    /// </summary>
    Failed,
}

/// <summary>One quarantined record: where it is and why it was not imported.</summary>
/// <param name="Record">1-based data record number.</param>
/// <param name="Line">1-based line where the record starts.</param>
/// <param name="Column">The column at fault, if one.</param>
/// <param name="Reason">Why (never contains contact data).</param>
public sealed record QuarantinedRow(long Record, long Line, string? Column, string Reason);

/// <summary>The quarantined rows of one part of an import (at most <see cref="MaxRows"/>).</summary>
/// <param name="Id">Document id: the import's id and the first row's record number.</param>
/// <param name="ImportId">The import (also the partition key).</param>
/// <param name="Rows">The rows, in file order.</param>
public sealed record QuarantineChunk(string Id, string ImportId, IReadOnlyList<QuarantinedRow> Rows)
{
    /// <summary>Rows per document: far below the stores' document size limits even with long reasons.</summary>
    public const int MaxRows = 1000;
}

/// <summary>
/// The report and checkpoint of one import of one upload (container <c>imports</c>, id derived from the export's
/// name and version). Counts always reconcile:
/// <c>Read = Accepted + Duplicates + Anonymous + Quarantined + Skipped</c>.
/// </summary>
public sealed record PosImportReport
{
    /// <summary>The most quarantined rows kept in the report document (the count is always exact).</summary>
    public const int MaxQuarantinedRowsKept = 2000;

    /// <summary>Document id.</summary>
    public required string Id { get; init; }

    /// <summary>Export name in the container or inbox.</summary>
    public required string ExportName { get; init; }

    /// <summary>The upload's version (blob ETag).</summary>
    public required string ExportVersion { get; init; }

    /// <summary>The layout used.</summary>
    public required string Layout { get; init; }

    /// <summary>State.</summary>
    public PosImportStatus Status { get; init; }

    /// <summary>Why the file was rejected or the import failed.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Attempts started for this upload, counted before any work so that an import that keeps crashing (even the
    /// whole process) still reaches <see cref="PosExportSettings.MaxAttempts"/> and ends.
    /// </summary>
    public int Attempts { get; init; }

    /// <summary>Why the latest attempt failed, if one did (the final report quotes it).</summary>
    public string? LastError { get; init; }

    /// <summary>Data records read.</summary>
    public long Read { get; init; }

    /// <summary>Sales and returns applied to a profile for the first time.</summary>
    public long Accepted { get; init; }

    /// <summary>Records whose transaction was already known (a re-upload, an overlapping export).</summary>
    public long Duplicates { get; init; }

    /// <summary>Valid sales and returns that name no customer: counted, no profile.</summary>
    public long Anonymous { get; init; }

    /// <summary>Records that could not be read.</summary>
    public long Quarantined { get; init; }

    /// <summary>Records that are not transactions under the layout (e.g. further line items of one sale).</summary>
    public long Skipped { get; init; }

    /// <summary>Records processed so far: a retry after a crash skips these (their counts are already above).</summary>
    public long RecordsDone { get; init; }

    /// <summary>The first quarantined rows.</summary>
    public IReadOnlyList<QuarantinedRow> QuarantinedRows { get; init; } = [];

    /// <summary>
    /// Ids of the documents (container <c>imports</c>, same partition) that hold every quarantined row so far, in file
    /// order. Each batch writes its own before its checkpoint, so the quarantine file assembled from them at the end
    /// holds every quarantined row however often the import was interrupted.
    /// </summary>
    public IReadOnlyList<string> QuarantineChunks { get; init; } = [];

    /// <summary>When the import started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>True when the counts add up.</summary>
    public bool Reconciles => Read == Accepted + Duplicates + Anonymous + Quarantined + Skipped;
}
