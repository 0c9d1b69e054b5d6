namespace CustomerValue.Domain.Profiles;

/// <summary>One engagement (a visit, an e-mail click, a store visit): a sign of life between purchases.</summary>
/// <param name="Channel">Where it happened.</param>
/// <param name="TouchedAt">When it happened.</param>
public sealed record EngagementTouch(EngagementChannel Channel, DateTimeOffset TouchedAt)
{
    /// <summary>Device class, e.g. <c>mobile</c>, <c>desktop</c>, <c>tablet</c>.</summary>
    public string? Device { get; init; }

    /// <summary>What the customer did, e.g. <c>visit</c>, <c>open</c>, <c>click</c>.</summary>
    public string? Action { get; init; }

    /// <summary>The campaign the touch belongs to, if any.</summary>
    public string? Campaign { get; init; }
}
