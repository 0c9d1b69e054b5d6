using CustomerValue.Publishing.Holdouts;
using CustomerValue.Segmentation.Custom;

namespace CustomerValue.Functions.Configuration;

/// <summary>
/// Custom segments' holdout shares for the publisher and the guidance, from the segmentation's catalog (definitions
/// file and those saved through the API). Read afresh on every call, never kept for a while: a share kept from before
/// a definition was saved would send the first changes of its control group to the destinations, and a person who
/// has seen the campaign can never be held out again.
/// </summary>
public sealed class CustomSegmentHoldouts(CustomSegmentCatalog catalog) : ICustomSegmentHoldouts
{
    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, double>> SharesAsync(CancellationToken cancellationToken = default) =>
        catalog.HoldoutSharesAsync(cancellationToken);
}
