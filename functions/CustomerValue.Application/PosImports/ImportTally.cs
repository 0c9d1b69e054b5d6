namespace CustomerValue.Application.PosImports;

/// <summary>The running counts of one import, updated per record without allocating.</summary>
internal sealed class ImportTally
{
    public long Read { get; set; }

    public long Accepted { get; set; }

    public long Duplicates { get; set; }

    public long Anonymous { get; set; }

    public long Quarantined { get; set; }

    public long Skipped { get; set; }

    public long RecordsDone { get; set; }

    /// <summary>The first quarantined rows, for the report document.</summary>
    public List<QuarantinedRow> Kept { get; init; } = [];

    /// <summary>The documents holding every quarantined row so far.</summary>
    public List<string> QuarantineChunks { get; init; } = [];

    /// <summary>Counts a quarantined row, keeping it for the report document while there is room.</summary>
    public void Quarantine(QuarantinedRow row)
    {
        Quarantined++;
        if (Kept.Count < PosImportReport.MaxQuarantinedRowsKept)
        {
            Kept.Add(row);
        }
    }

    /// <summary>Continues from a checkpoint.</summary>
    public static ImportTally From(PosImportReport report) => new()
    {
        Read = report.Read, Accepted = report.Accepted, Duplicates = report.Duplicates, Anonymous = report.Anonymous,
        Quarantined = report.Quarantined, Skipped = report.Skipped, RecordsDone = report.RecordsDone,
        Kept = [.. report.QuarantinedRows], QuarantineChunks = [.. report.QuarantineChunks],
    };

    /// <summary>The report with these counts and the quarantined rows so far.</summary>
    public PosImportReport Into(PosImportReport report) => report with
    {
        Read = Read, Accepted = Accepted, Duplicates = Duplicates, Anonymous = Anonymous,
        Quarantined = Quarantined, Skipped = Skipped, RecordsDone = RecordsDone,
        QuarantinedRows = [.. Kept], QuarantineChunks = [.. QuarantineChunks],
    };
}
