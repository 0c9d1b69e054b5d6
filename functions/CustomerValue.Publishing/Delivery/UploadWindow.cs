namespace CustomerValue.Publishing.Delivery;

/// <summary>
/// Gathers a destination's queued changes into uploads filled to its limit. Audiences are per segment, so changes
/// are collected per segment, in queue order, and an upload is complete when its segment has
/// <c>maxBatchSize</c> changes; the rest of a segment waits for later pages instead of leaving as a half-filled
/// upload, until the queue ends or the window holds too much (then every segment's remainder leaves).
/// <para>
/// The read position may only pass a queue page when every change in it was handled (sent or dead-lettered), so the
/// window keeps the pages it read in order and reports, after each send, the position after the longest handled
/// prefix and the batches in it (to delete). A crash re-reads from that position: changes sent after it are sent
/// again, as delivery is at least once.
/// </para>
/// </summary>
/// <param name="maxBatchSize">The destination's largest upload.</param>
public sealed class UploadWindow(int maxBatchSize)
{
    private readonly List<HeldPage> _pages = [];
    private readonly Dictionary<string, List<Entry>> _open = new(StringComparer.Ordinal);
    private readonly List<List<Entry>> _full = [];

    /// <summary>Uploads filled to the limit, waiting to be sent.</summary>
    public int FullUploads => _full.Count;

    /// <summary>Changes in the pages held (sent or not): what the window keeps in memory.</summary>
    public int HeldChanges { get; private set; }

    /// <summary>Adds the next page of the queue, read up to <paramref name="position"/>.</summary>
    public void Add(IReadOnlyList<OutboundBatch> batches, string position)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var page = new HeldPage(batches, position);
        _pages.Add(page);
        foreach (var change in batches.SelectMany(b => b.Changes))
        {
            var segment = change.Change.Segment;
            if (!_open.TryGetValue(segment, out var upload))
            {
                _open[segment] = upload = new List<Entry>(Math.Min(maxBatchSize, 1024));
            }

            upload.Add(new Entry(change, page));
            page.Unsent++;
            HeldChanges++;
            if (upload.Count == maxBatchSize)
            {
                _full.Add(upload);
                _open.Remove(segment);
            }
        }
    }

    /// <summary>
    /// Takes the uploads to send now: the full ones, and with <paramref name="flush"/> every segment's remainder too.
    /// Each upload holds one segment's changes in queue order.
    /// </summary>
    public IReadOnlyList<Upload> Take(bool flush)
    {
        var taken = new List<Upload>(_full.Count + (flush ? _open.Count : 0));
        taken.AddRange(_full.Select(u => new Upload(u)));
        _full.Clear();
        if (flush)
        {
            taken.AddRange(_open.Values.Select(u => new Upload(u)));
            _open.Clear();
        }

        return taken;
    }

    /// <summary>
    /// Marks the uploads handled and releases the pages now handled in full, from the front: returns their batches and
    /// the position after them (null when the front page still waits for a change).
    /// </summary>
    public (IReadOnlyList<OutboundBatch> Handled, string? Position) Complete(IEnumerable<Upload> uploads)
    {
        ArgumentNullException.ThrowIfNull(uploads);
        foreach (var entry in uploads.SelectMany(u => u.Entries))
        {
            entry.Page.Unsent--;
        }

        var handled = new List<OutboundBatch>();
        string? position = null;
        var released = 0;
        while (released < _pages.Count && _pages[released].Unsent == 0)
        {
            var page = _pages[released++];
            handled.AddRange(page.Batches);
            HeldChanges -= page.Batches.Sum(b => b.Changes.Count);
            position = page.Position;
        }

        _pages.RemoveRange(0, released);
        return (handled, position);
    }

    /// <summary>One upload: changes of one segment, in queue order.</summary>
    /// <param name="entries">The changes with their pages.</param>
    public sealed class Upload(List<Entry> entries)
    {
        /// <summary>The changes with the pages they came from.</summary>
        public IReadOnlyList<Entry> Entries => entries;

        /// <summary>The changes.</summary>
        public IReadOnlyList<OutboundChange> Changes { get; } = [.. entries.Select(e => e.Change)];
    }

    /// <summary>A change and the page it was read in.</summary>
    /// <param name="Change">The change.</param>
    /// <param name="Page">The page it was read in.</param>
    public readonly record struct Entry(OutboundChange Change, HeldPage Page);

    /// <summary>A page read from the queue, with the count of its changes not yet handled.</summary>
    public sealed class HeldPage(IReadOnlyList<OutboundBatch> batches, string position)
    {
        /// <summary>The page's queue documents.</summary>
        public IReadOnlyList<OutboundBatch> Batches => batches;

        /// <summary>The read position after the page.</summary>
        public string Position => position;

        /// <summary>Its changes not yet sent or dead-lettered.</summary>
        public int Unsent { get; internal set; }
    }
}
