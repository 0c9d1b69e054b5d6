namespace CustomerValue.Domain.Profiles;

/// <summary>Where a purchase happened.</summary>
public enum SalesChannel
{
    /// <summary>The web shop in a browser.</summary>
    Online,

    /// <summary>The shop's mobile app.</summary>
    App,

    /// <summary>A physical store (point of sale).</summary>
    Store,
}
