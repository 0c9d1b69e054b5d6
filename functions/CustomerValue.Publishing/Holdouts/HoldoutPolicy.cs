using CustomerValue.Domain.Segments;

namespace CustomerValue.Publishing.Holdouts;

/// <summary>
/// Control groups: for each segment with a holdout share (<c>Segments:&lt;name&gt;:HoldoutShare</c>, e.g. 0.05–0.10, or
/// a custom segment's <c>holdoutShare</c>, see <see cref="ICustomSegmentHoldouts"/>),
/// a deterministic, hash-based share of its members that no destination receives. The draw is SHA-256 of
/// "profile id|segment" read as a number in [0, 1): the same person stays in (or out of) the holdout of a segment run
/// after run, independent draws per segment, and nothing random is stored.
/// </summary>
public sealed class HoldoutPolicy
{
    private readonly Dictionary<string, double> _shares;

    /// <summary>Holdout shares by segment; shares outside (0, 0.5] are refused.</summary>
    public HoldoutPolicy(IReadOnlyDictionary<string, double>? shares = null)
    {
        _shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (segment, share) in shares ?? new Dictionary<string, double>())
        {
            if (share == 0)
            {
                continue;
            }

            if (share is < 0 or > 0.5 || double.IsNaN(share))
            {
                throw new ArgumentOutOfRangeException(nameof(shares), $"Segments:{segment}:HoldoutShare must lie in [0, 0.5], not {share}.");
            }

            _shares[segment] = share;
        }
    }

    /// <summary>
    /// This policy plus the shares of <paramref name="more"/> segments (custom segments' definitions); a segment this
    /// policy already has keeps its share, so configuration overrides a definition.
    /// </summary>
    public HoldoutPolicy With(IReadOnlyDictionary<string, double> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        if (more.Count == 0)
        {
            return this;
        }

        var merged = new Dictionary<string, double>(more, StringComparer.Ordinal);
        foreach (var (segment, share) in _shares)
        {
            merged[segment] = share;
        }

        return new HoldoutPolicy(merged);
    }

    /// <summary>No holdouts.</summary>
    public static HoldoutPolicy None { get; } = new();

    /// <summary>Segments with a holdout and their shares.</summary>
    public IReadOnlyDictionary<string, double> Shares => _shares;

    /// <summary>The share held out of <paramref name="segment"/> (0 when none).</summary>
    public double ShareOf(string segment) => _shares.GetValueOrDefault(segment);

    /// <summary>True when the person belongs to the holdout of <paramref name="segment"/>.</summary>
    public bool IsHeldOut(string profileId, string segment) =>
        _shares.TryGetValue(segment, out var share) && Draw(profileId, segment) < share;

    /// <summary>The person's uniform draw in [0, 1) for a segment (<see cref="HoldoutDraw"/>).</summary>
    public static double Draw(string profileId, string segment) => HoldoutDraw.Of(profileId, segment);
}
