namespace CustomerValue.Publishing.Holdouts;

/// <summary>
/// The holdout shares that custom segments carry in their definitions (<c>holdoutShare</c>), which can change while
/// the app runs (definitions saved through the API), unlike the configured <c>Segments:&lt;segment&gt;:HoldoutShare</c>.
/// Implemented where the definitions are read (the server wires the segmentation's catalog in).
/// </summary>
public interface ICustomSegmentHoldouts
{
    /// <summary>Holdout share by custom segment, for the segments that keep one.</summary>
    Task<IReadOnlyDictionary<string, double>> SharesAsync(CancellationToken cancellationToken = default);
}
