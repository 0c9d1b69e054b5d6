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

    /// <summary>Continues from a checkpoint.</summary>
    public static ImportTally From(PosImportReport report) => new()
    {
        Read = report.Read, Accepted = report.Accepted, Duplicates = report.Duplicates, Anonymous = report.Anonymous,
        Quarantined = report.Quarantined, Skipped = report.Skipped, RecordsDone = report.RecordsDone,
    };

    /// <summary>The report with these counts and the quarantined rows kept so far.</summary>
    public PosImportReport Into(PosImportReport report, QuarantineSpool quarantine) => report with
    {
        Read = Read, Accepted = Accepted, Duplicates = Duplicates, Anonymous = Anonymous,
        Quarantined = Quarantined, Skipped = Skipped, RecordsDone = RecordsDone, QuarantinedRows = quarantine.Kept,
    };
}
