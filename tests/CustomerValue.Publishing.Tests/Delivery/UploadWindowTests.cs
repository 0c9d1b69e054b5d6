using CustomerValue.Domain.Segments;
using CustomerValue.Publishing.Delivery;

namespace CustomerValue.Publishing.Tests.Delivery;

public class UploadWindowTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TwoSegmentsInterleaved_LeaveInFullUploadsOfOneSegmentEach_InQueueOrder()
    {
        var window = new UploadWindow(maxBatchSize: 4);
        window.Add([Batch("b1", Changes(0, 6))], "p1");
        window.Add([Batch("b2", Changes(6, 6))], "p2");

        var full = window.Take(flush: false);

        Assert.Equal(2, full.Count);
        Assert.All(full, u => Assert.Equal(4, u.Changes.Count));
        Assert.All(full, u => Assert.Single(u.Changes.Select(c => c.Change.Segment).Distinct()));
        Assert.Equal(["p-0", "p-2", "p-4", "p-6"], full[0].Changes.Select(c => c.Change.ProfileId));
        Assert.Equal(["p-1", "p-3", "p-5", "p-7"], full[1].Changes.Select(c => c.Change.ProfileId));
    }

    [Fact]
    public void PositionPassesOnlyPagesWhoseEveryChangeWasHandled_AndTheirBatchesAreReleased()
    {
        var window = new UploadWindow(maxBatchSize: 4);
        window.Add([Batch("b1", Changes(0, 6))], "p1");
        window.Add([Batch("b2", Changes(6, 6))], "p2");

        var (handled, position) = window.Complete(window.Take(flush: false));

        // Page 1 went out whole; page 2 still holds two changes of each segment, which wait for fuller uploads.
        Assert.Equal("p1", position);
        Assert.Equal(["b1"], handled.Select(b => b.Id));
        Assert.Equal(6, window.HeldChanges);
        var rest = window.Take(flush: true);
        Assert.Equal([["p-8", "p-10"], ["p-9", "p-11"]], rest.OrderBy(u => u.Changes[0].Change.Segment, StringComparer.Ordinal).Select(u => u.Changes.Select(c => c.Change.ProfileId).ToArray()));
        (handled, position) = window.Complete(rest);
        Assert.Equal("p2", position);
        Assert.Equal(["b2"], handled.Select(b => b.Id));
        Assert.Equal(0, window.HeldChanges);
    }

    [Fact]
    public void EmptyPage_IsHandledAtOnce()
    {
        var window = new UploadWindow(maxBatchSize: 4);
        window.Add([], "p1");

        var (handled, position) = window.Complete(window.Take(flush: false));

        Assert.Empty(handled);
        Assert.Equal("p1", position);
    }

    private static OutboundBatch Batch(string id, IReadOnlyList<OutboundChange> changes) =>
        new() { Id = id, Destination = "google", Changes = changes, EnqueuedAt = At };

    /// <summary>Changes for people <paramref name="first"/>…, alternating between segments a and b.</summary>
    private static OutboundChange[] Changes(int first, int count) =>
    [
        .. Enumerable.Range(first, count).Select(i => new OutboundChange
        {
            Change = new SegmentChange { EventId = $"e-{i}", Kind = SegmentChangeKind.Joined, Segment = i % 2 == 0 ? "a" : "b", ProfileId = $"p-{i}", OccurredAt = At },
            Recipient = new Recipient { EmailSha256 = [$"hash-{i}"] },
        }),
    ];
}
