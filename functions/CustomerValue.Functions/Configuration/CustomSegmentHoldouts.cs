using CustomerValue.Publishing.Holdouts;
using CustomerValue.Segmentation.Custom;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// Custom segments' holdout shares for the publisher and the guidance, from the segmentation's catalog (definitions
/// file and those saved through the API). Loading compiles every rule, so the shares are kept for a few seconds:
/// a change-feed burst reads them once, and a definition saved through the API applies within that time.
/// </summary>
public sealed class CustomSegmentHoldouts(CustomSegmentCatalog catalog, TimeProvider clock) : ICustomSegmentHoldouts
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(5);
    private Loaded? _loaded;

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, double>> SharesAsync(CancellationToken cancellationToken = default)
    {
        if (_loaded is { } fresh && clock.GetUtcNow() - fresh.At < KeepFor)
        {
            return fresh.Shares;
        }

        // Two callers loading at once both read the same definitions: harmless, so no lock.
        var set = await catalog.LoadAsync(cancellationToken);
        var shares = set.Segments.Where(s => s.Definition.HoldoutShare > 0).ToDictionary(s => s.Name, s => s.Definition.HoldoutShare, StringComparer.Ordinal);
        _loaded = new Loaded(shares, clock.GetUtcNow());
        return shares;
    }

    /// <summary>Shares and when they were read: one reference, so readers on other threads never see half of it.</summary>
    private sealed record Loaded(IReadOnlyDictionary<string, double> Shares, DateTimeOffset At);
}
