using System.Text;
using CustomerValue.Domain.Segments;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Publishing.Destinations;

/// <summary>
/// The local destination: appends each change as one JSON line to <c>{outbox}/segment-changes.jsonl</c>, so a
/// person (or a script) can watch segment changes flow out without any third-party account.
/// </summary>
public sealed class OutboxFileDestination : ISegmentDestination, IDisposable
{
    /// <summary>The file name inside the outbox folder.</summary>
    public const string FileName = "segment-changes.jsonl";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Writes into <paramref name="outboxFolder"/>, creating it if needed.</summary>
    public OutboxFileDestination(string outboxFolder)
    {
        Directory.CreateDirectory(outboxFolder);
        FilePath = Path.Combine(Path.GetFullPath(outboxFolder), FileName);
    }

    /// <inheritdoc />
    public string Name => "outbox";

    /// <summary>The JSON-lines file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async Task DeliverAsync(IReadOnlyList<SegmentChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var change in changes)
        {
            text.Append(DocumentJson.Serialize(change)).Append('\n');
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await File.AppendAllTextAsync(FilePath, text.ToString(), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
