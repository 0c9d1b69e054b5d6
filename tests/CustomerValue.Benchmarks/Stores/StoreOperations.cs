using System.Diagnostics;

namespace CustomerValue.Benchmarks.Stores;

/// <summary>What <see cref="CountingDocumentStore"/> counted in one container.</summary>
/// <param name="Reads">Point reads that found the document.</param>
/// <param name="ReadMisses">Point reads that found nothing.</param>
/// <param name="Creates">Successful creates.</param>
/// <param name="Replaces">Successful conditional replaces.</param>
/// <param name="Upserts">Upserts.</param>
/// <param name="Deletes">Deletes that removed a document.</param>
/// <param name="DeleteMisses">Deletes that found nothing.</param>
/// <param name="Conflicts">Creates refused because the document existed (409).</param>
/// <param name="PreconditionFailures">Replaces refused because the document changed since it was read (412).</param>
/// <param name="WriteNotFound">Replaces refused because the document was gone (404).</param>
/// <param name="Scans">Scans started.</param>
/// <param name="Scanned">Documents the scans yielded.</param>
/// <param name="ChangeFeedReads">Change-feed pages read.</param>
/// <param name="ChangeFeedDocuments">Documents in those pages.</param>
/// <param name="FirstStarted">Stopwatch timestamp when the first point operation started (0: none).</param>
/// <param name="LastEnded">Stopwatch timestamp when the last point operation ended (0: none).</param>
/// <param name="ScanStarted">Stopwatch timestamp when the first scan started (0: none).</param>
/// <param name="ScanEnded">Stopwatch timestamp when the last scan finished (0: none finished).</param>
internal readonly record struct ContainerOperations(
    long Reads, long ReadMisses, long Creates, long Replaces, long Upserts, long Deletes, long DeleteMisses,
    long Conflicts, long PreconditionFailures, long WriteNotFound, long Scans, long Scanned, long ChangeFeedReads, long ChangeFeedDocuments,
    long FirstStarted, long LastEnded, long ScanStarted, long ScanEnded)
{
    /// <summary>Point reads, found or not.</summary>
    public long PointReads => Reads + ReadMisses;

    /// <summary>Writes that the store carried out: creates, replaces, upserts and deletes.</summary>
    public long Writes => Creates + Replaces + Upserts + Deletes;

    /// <summary>Writes the store refused (409, 412, 404): each one cost a round trip and wrote nothing.</summary>
    public long Refused => Conflicts + PreconditionFailures + WriteNotFound;

    /// <summary>Every operation that addressed one document: point reads, writes, refused writes, deletes that found nothing.</summary>
    public long PointOperations => PointReads + Writes + Refused + DeleteMisses;

    /// <summary>The counts since <paramref name="before"/>; the timestamps stay this snapshot's.</summary>
    public ContainerOperations Since(ContainerOperations before) => this with
    {
        Reads = Reads - before.Reads,
        ReadMisses = ReadMisses - before.ReadMisses,
        Creates = Creates - before.Creates,
        Replaces = Replaces - before.Replaces,
        Upserts = Upserts - before.Upserts,
        Deletes = Deletes - before.Deletes,
        DeleteMisses = DeleteMisses - before.DeleteMisses,
        Conflicts = Conflicts - before.Conflicts,
        PreconditionFailures = PreconditionFailures - before.PreconditionFailures,
        WriteNotFound = WriteNotFound - before.WriteNotFound,
        Scans = Scans - before.Scans,
        Scanned = Scanned - before.Scanned,
        ChangeFeedReads = ChangeFeedReads - before.ChangeFeedReads,
        ChangeFeedDocuments = ChangeFeedDocuments - before.ChangeFeedDocuments,
    };

    /// <summary>The sum of two containers' counts (timestamps: the earliest start, the latest end).</summary>
    public static ContainerOperations operator +(ContainerOperations a, ContainerOperations b) => new(
        a.Reads + b.Reads, a.ReadMisses + b.ReadMisses, a.Creates + b.Creates, a.Replaces + b.Replaces, a.Upserts + b.Upserts,
        a.Deletes + b.Deletes, a.DeleteMisses + b.DeleteMisses, a.Conflicts + b.Conflicts, a.PreconditionFailures + b.PreconditionFailures,
        a.WriteNotFound + b.WriteNotFound, a.Scans + b.Scans, a.Scanned + b.Scanned, a.ChangeFeedReads + b.ChangeFeedReads,
        a.ChangeFeedDocuments + b.ChangeFeedDocuments,
        Earliest(a.FirstStarted, b.FirstStarted), Math.Max(a.LastEnded, b.LastEnded), Earliest(a.ScanStarted, b.ScanStarted), Math.Max(a.ScanEnded, b.ScanEnded));

    /// <summary>Named alternative to the + operator.</summary>
    public static ContainerOperations Add(ContainerOperations left, ContainerOperations right) => left + right;

    /// <summary>How long the scan took, from its start to its last document; null when no scan finished.</summary>
    public TimeSpan? ScanTime => ScanStarted != 0 && ScanEnded != 0 ? Stopwatch.GetElapsedTime(ScanStarted, ScanEnded) : null;

    /// <summary>From the start of the first point operation to the end of the last; null when there was none.</summary>
    public TimeSpan? PointOperationSpan => FirstStarted != 0 && LastEnded != 0 ? Stopwatch.GetElapsedTime(FirstStarted, LastEnded) : null;

    private static long Earliest(long a, long b) => a == 0 ? b : b == 0 ? a : Math.Min(a, b);
}

/// <summary>What <see cref="CountingDocumentStore"/> counted, per container.</summary>
/// <param name="Containers">Counts by container name.</param>
internal sealed record StoreOperations(IReadOnlyDictionary<string, ContainerOperations> Containers)
{
    /// <summary>All containers together.</summary>
    public ContainerOperations Total => Containers.Values.Aggregate(default(ContainerOperations), (a, b) => a + b);

    /// <summary>One container's counts (zero when it was never used).</summary>
    public ContainerOperations this[string container] => Containers.GetValueOrDefault(container);

    /// <summary>The counts since <paramref name="before"/>.</summary>
    public StoreOperations Since(StoreOperations before) =>
        new(Containers.ToDictionary(p => p.Key, p => p.Value.Since(before[p.Key]), StringComparer.Ordinal));
}
