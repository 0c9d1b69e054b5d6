using CustomerValue.Domain.Profiles;

namespace CustomerValue.Ingestion.PosExports;

/// <summary>What became of one record of a POS export.</summary>
public enum PosRowStatus
{
    /// <summary>A sale or return with a customer identifier: <see cref="PosRowResult.Activity"/> is set.</summary>
    Imported,

    /// <summary>A valid sale or return that names nobody: it creates no profile (<see cref="PosRowResult.Order"/> is set).</summary>
    Anonymous,

    /// <summary>A record that cannot be read; <see cref="PosRowResult.Column"/> and <see cref="PosRowResult.Reason"/> say why.</summary>
    Quarantined,

    /// <summary>A record that is not a transaction by the layout's rules (e.g. a line-item row of an order already read).</summary>
    Skipped,

    /// <summary>The file as a whole cannot be read (missing required column, broken quoting); nothing follows it.</summary>
    FileError,
}

/// <summary>
/// One record of a POS export. <see cref="RecordNumber"/> counts data records from 1; <see cref="LineNumber"/> is the
/// physical line the record starts on (they differ after the header and when quoted fields hold line breaks).
/// </summary>
public sealed record PosRowResult
{
    /// <summary>What became of the record.</summary>
    public required PosRowStatus Status { get; init; }

    /// <summary>1-based number of the data record (the header is not counted); 0 for a file error before any record.</summary>
    public long RecordNumber { get; init; }

    /// <summary>1-based physical line on which the record starts.</summary>
    public long LineNumber { get; init; }

    /// <summary>The transaction id as written in the export, when the record has one.</summary>
    public string? TransactionId { get; init; }

    /// <summary>The customer activity for an <see cref="PosRowStatus.Imported"/> record.</summary>
    public CustomerActivity? Activity { get; init; }

    /// <summary>The sale or return of an imported or anonymous record.</summary>
    public OrderRecord? Order { get; init; }

    /// <summary>The column at fault for a quarantined record or a file error.</summary>
    public string? Column { get; init; }

    /// <summary>Why the record was quarantined or skipped, or why the file cannot be read. Never holds contact data.</summary>
    public string? Reason { get; init; }

    /// <summary>True for a sale or return that was read (with or without a customer).</summary>
    public bool IsAccepted => Status is PosRowStatus.Imported or PosRowStatus.Anonymous;

    /// <summary>True when the record was read but names no customer.</summary>
    public bool IsAnonymous => Status == PosRowStatus.Anonymous;
}
